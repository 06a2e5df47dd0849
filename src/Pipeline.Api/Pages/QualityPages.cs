using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Quality;
using static YouthJustice.Pipeline.Api.Pages.Html;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// A provider's data-quality report for a quarter (the report <c>pipeline quality</c> prints): what is missing, how
/// timely the drops are, the drops received, and per drop type the errors by rule (with the fix), completeness of the
/// optional columns and the link rate to the YOT's children.
/// </summary>
public sealed class QualityPages(QualityReporter reporter)
{
    public IEnumerable<PageEndpoint> Endpoints =>
    [
        new("Quality", "GET", PageRoutes.Quality, PageAccess.SignedIn, QualityAsync),
    ];

    private async Task<PageResult> QualityAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (ProviderPages.NotAProvider(request) is { } refused) return refused;
        var period = reporter.CurrentPeriod();
        if (request.Query("period") is { } text && !Quarter.TryParse(text, out period))
            return PageResult.BadRequest($"'{text}' is not a quarter: write it as YYYY-Qn, for example 2026-Q2.");
        QualityReport report;
        try
        {
            report = await reporter.BuildAsync(request.SignedIn.Provider!, period, cancellationToken);
        }
        catch (UnknownProviderException)
        {
            return PageResult.View("Data quality", H($"<h1 class=\"govuk-heading-xl\">Data quality</h1><p class=\"govuk-body\">There is nothing to report yet: no agreement and no file.</p>"));
        }

        var next = period.Number == 4 ? new Quarter(period.Year + 1, 1) : new Quarter(period.Year, period.Number + 1);
        var t = report.Timeliness;
        var body = H($"""
            <h1 class="govuk-heading-xl">Data quality<span class="govuk-caption-l">{report.ProviderName ?? report.Provider}, {report.Period} ({report.PeriodStart:d MMMM} to {report.PeriodEnd:d MMMM yyyy})</span></h1>
            <nav class="govuk-pagination govuk-pagination--block" aria-label="Quarters">
            <div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="{PageRoutes.Quality}?period={period.Previous()}" rel="prev"><span class="govuk-pagination__link-title">Previous quarter</span><span class="govuk-visually-hidden">:</span><span class="govuk-pagination__link-label">{period.Previous()}</span></a></div>
            {When(next <= reporter.CurrentPeriod(), H($"<div class=\"govuk-pagination__next\"><a class=\"govuk-link govuk-pagination__link\" href=\"{PageRoutes.Quality}?period={next}\" rel=\"next\"><span class=\"govuk-pagination__link-title\">Next quarter</span><span class=\"govuk-visually-hidden\">:</span><span class=\"govuk-pagination__link-label\">{next}</span></a></div>"))}
            </nav>
            {When(report.Missing.Count > 0 || report.RefusedOnly.Count > 0, H($"""
                <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>
                {When(report.Missing.Count > 0,
                    H($"Not received this quarter: {string.Join(", ", report.Missing)}. "))}{When(report.RefusedOnly.Count > 0,
                    H($"Every file refused this quarter: {string.Join(", ", report.RefusedOnly)}."))}</strong></div>
                """))}
            <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Files received</dt><dd class="govuk-summary-list__value">{report.Totals.DropsReceived:N0} ({report.Totals.DropsAccepted:N0} accepted, {report.Totals.DropsRefused:N0} refused)</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Rows</dt><dd class="govuk-summary-list__value">{report.Totals.Rows.Read:N0} read, {report.Totals.Rows.Accepted:N0} accepted, {report.Totals.Rows.Rejected:N0} refused, {report.Totals.Rows.OutOfCohort:N0} about other children</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Last file</dt><dd class="govuk-summary-list__value">{(
                t.LastDropAt is null ? "never" : $"{DropPages.At(t.LastDropAt)} ({t.DaysSinceLastDrop} days ago)")}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Last accepted file</dt><dd class="govuk-summary-list__value">{(t.LastAcceptedDropAt is null ? "never" : $"{DropPages.At(t.LastAcceptedDropAt)} ({t.DaysSinceLastAcceptedDrop} days ago)")}</dd></div>
            </dl>
            {Join(report.DropTypes, DropType)}
            """);
        return PageResult.View("Data quality", body, report.DropTypes.Count);
    }

    private static Markup DropType(DropTypeQuality d) => H($"""
        <h2 class="govuk-heading-l">{d.DropType} {State(d.State)}</h2>
        <dl class="govuk-summary-list">
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Files</dt><dd class="govuk-summary-list__value">{d.DropsReceived:N0} received, {d.DropsAccepted:N0} accepted, {d.DropsRefused:N0} refused</dd></div>
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Rows</dt><dd class="govuk-summary-list__value">{d.Rows.Read:N0} read, {d.Rows.Accepted:N0} accepted, {d.Rows.Rejected:N0} refused{(d.Rows.Held > 0 ? $", {d.Rows.Held:N0} held" : "")}</dd></div>
        {When(d.Linkage.LinkRate is not null, H($"<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Linked to the YOT's children</dt><dd class=\"govuk-summary-list__value\">{d.Linkage.LinkRate:P1} ({d.Linkage.Linked:N0} rows; {d.Linkage.OutOfCohort:N0} about other children){(d.Linkage.LinkedBy.Count > 0 ? "; by " + string.Join(", ", d.Linkage.LinkedBy.Select(l => $"{l.Key} {l.Value:N0}")) : "")}</dd></div>"))}
        {When(d.OptionalColumnsAbsent.Count > 0, H($"<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Optional columns never sent</dt><dd class=\"govuk-summary-list__value\">{string.Join(", ", d.OptionalColumnsAbsent)}</dd></div>"))}
        </dl>
        {When(d.ErrorsByRule.Count + d.DropRefusalsByRule.Count > 0, H($"""
            <table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">{d.DropType}: checks not passed this quarter</caption>
            <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Check</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Count</th><th scope="col" class="govuk-table__header">How to fix it</th></tr></thead>
            <tbody class="govuk-table__body">{Join(d.DropRefusalsByRule.Select(r => (r, "files refused")).Concat(d.ErrorsByRule.Select(r => (r, r.Severity == "query" ? "rows queried" : "rows"))), x => H($"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><code>{x.r.Rule}</code></td><td class=\"govuk-table__cell govuk-table__cell--numeric\">{x.r.Count:N0} {x.Item2}</td><td class=\"govuk-table__cell\">{DropPages.Fix(x.r.Rule)}</td></tr>"))}</tbody></table>
            """))}
        {When(d.Completeness.Count > 0, H($"""
            <table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">{d.DropType}: how complete the optional columns are</caption>
            <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Column</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows with a value</th></tr></thead>
            <tbody class="govuk-table__body">{Join(d.Completeness, c => H($"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{c.Column}</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">{(c.Share is { } s ? s.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "none")}</td></tr>"))}</tbody></table>
            """))}
        """);

    private static Markup State(string state) => state switch
    {
        QualityStates.Received => H($"<strong class=\"govuk-tag govuk-tag--green\">Received</strong>"),
        QualityStates.RefusedOnly => H($"<strong class=\"govuk-tag govuk-tag--red\">Every file refused</strong>"),
        _ => H($"<strong class=\"govuk-tag govuk-tag--grey\">Missing</strong>"),
    };
}
