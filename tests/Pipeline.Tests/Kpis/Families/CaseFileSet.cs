using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>Sends a worked example's case files for one YOT through the real gate, under one YOT agreement.</summary>
public static class CaseFileSet
{
    public const string HealthHeader =
        "yot_case_ref,area,date_screened,date_referred,date_offered,date_attended_start,date_attended_end,intervention_type";
    public const string CareStatusHeader = "yot_case_ref,status,start_date,end_date";

    public static async Task<IReadOnlyDictionary<string, Receipt>> SendAsync(PipelineFixture fixture, string yot,
        params (string DropType, string Csv)[] files)
    {
        var provider = $"{yot}-case";
        await fixture.AddAgreementAsync(Agreement(provider, yot, [.. files.Select(f => f.DropType)], kind: "yot"));
        var receipts = new Dictionary<string, Receipt>(StringComparer.Ordinal);
        foreach (var (type, csv) in files) receipts[type] = await fixture.IngestAsync(provider, type, csv);
        return receipts;
    }

    /// <summary>Headline figures and one breakdown of a result, as tuples a test can compare with hand-worked ones.</summary>
    public static (long, long) Figures(KpiResult k) => (k.Numerator, k.Denominator);

    public static IEnumerable<(string, long, long)> GroupFigures(KpiResult k, string dimension) =>
        k.Breakdowns[dimension].Select(g => (g.Group, g.Numerator, g.Denominator));
}
