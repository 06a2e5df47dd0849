using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// The pages' routes. <c>pipeline serve</c> maps each one; the Functions app's catch-all HTTP function dispatches them
/// through <see cref="PipelinePages.TryDispatchAsync"/> before the API's own routes (which all start <c>/api/</c>).
/// </summary>
public static class PageRoutes
{
    public const string Home = "/";
    public const string SignIn = "/sign-in";
    public const string SignOut = "/sign-out";
    public const string Assets = "/assets/{**path}";

    public const string Provider = "/provider";
    public const string DropType = "/provider/drop-types/{dropType}";
    public const string UploadLink = "/provider/uploads";
    public const string Uploaded = "/provider/uploads/{dropType}/{fileName}";
    public const string Drops = "/provider/drops";
    public const string Receipt = "/provider/drops/{dropId}";
    public const string ReceiptStatus = "/provider/drops/{dropId}/status";
    public const string ReceiptErrors = "/provider/drops/{dropId}/errors.csv";
    public const string Quality = "/provider/quality";

    public const string Yots = "/yots";
    public const string Yot = "/yots/{yot}";
    public const string Overview = "/yots/{yot}/{period}";
    public const string OverviewCsv = "/yots/{yot}/{period}/overview.csv";
    public const string Kpi = "/yots/{yot}/{period}/kpis/{kpiId}";
    public const string KpiTrendCsv = "/yots/{yot}/{period}/kpis/{kpiId}/trend.csv";
    public const string KpiBreakdownCsv = "/yots/{yot}/{period}/kpis/{kpiId}/breakdowns/{breakdown}.csv";
    public const string KpiChildren = "/yots/{yot}/{period}/kpis/{kpiId}/children";
    public const string KpiChildrenCsv = "/yots/{yot}/{period}/kpis/{kpiId}/children.csv";
    public const string BoardPack = "/yots/{yot}/{period}/board-pack";

    public static string ReceiptOf(string dropId) => $"/provider/drops/{Html.Url(dropId)}";
    public static string DropTypeOf(string dropType) => $"/provider/drop-types/{Html.Url(dropType)}";
    public static string OverviewOf(string yot, Quarter period, bool published = false) =>
        $"/yots/{Html.Url(yot)}/{period}{View(published)}";
    public static string KpiOf(string yot, Quarter period, string kpiId, bool published = false) =>
        $"/yots/{Html.Url(yot)}/{period}/kpis/{Html.Url(kpiId)}{View(published)}";

    public static string ChildrenOf(string yot, Quarter period, string kpiId, string? breakdown = null, string? group = null) =>
        $"/yots/{Html.Url(yot)}/{period}/kpis/{Html.Url(kpiId)}/children" +
        (breakdown is null ? "" : $"?breakdown={Html.Url(breakdown)}&group={Html.Url(group ?? "")}");

    /// <summary>The query that asks for the published view (disclosure control applied).</summary>
    public static string View(bool published) => published ? "?view=published" : "";
}
