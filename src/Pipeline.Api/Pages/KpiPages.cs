using System.Globalization;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Reporting;
using YouthJustice.Pipeline.Storage;
using static YouthJustice.Pipeline.Api.Pages.Html;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// The KPI pages for analysts and board members (their own YOT) and the YJB (every YOT, published view only): a
/// YOT-quarter overview with headline cards and their 8-quarter trend, one KPI with its trend and breakdowns (tables,
/// charts, relative rate indices as the board pack gives them), the pseudonymised children behind it (the YOT's own
/// analysts only: pseudonym and age band, with each child's part in the numerator and denominator), a CSV of every
/// table, and the board pack. The published view (disclosure control applied, as figures leave the YOT) is the only
/// one the YJB gets; analysts and board members can look at it too, to see what will be published.
/// </summary>
public sealed class KpiPages(KpiStore store, AgreementStore agreements, BoardPackBuilder boardPacks, PipelineStorage storage,
    QualityReporter quality, IOptions<KpiOptions> kpiOptions, IOptions<DisclosureOptions> disclosure)
{
    public const int TrendQuarters = 8;
    public const int ChildrenPageSize = 100;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public IEnumerable<PageEndpoint> Endpoints =>
    [
        new("Yots", "GET", PageRoutes.Yots, PageAccess.SignedIn, YotsAsync),
        new("Yot", "GET", PageRoutes.Yot, PageAccess.SignedIn, YotAsync),
        new("Overview", "GET", PageRoutes.Overview, PageAccess.SignedIn, OverviewAsync),
        new("OverviewCsv", "GET", PageRoutes.OverviewCsv, PageAccess.SignedIn, OverviewCsvAsync),
        new("Kpi", "GET", PageRoutes.Kpi, PageAccess.SignedIn, KpiAsync),
        new("KpiTrendCsv", "GET", PageRoutes.KpiTrendCsv, PageAccess.SignedIn, TrendCsvAsync),
        new("KpiBreakdownCsv", "GET", PageRoutes.KpiBreakdownCsv, PageAccess.SignedIn, BreakdownCsvAsync),
        new("KpiChildren", "GET", PageRoutes.KpiChildren, PageAccess.SignedIn, ChildrenAsync),
        new("KpiChildrenCsv", "GET", PageRoutes.KpiChildrenCsv, PageAccess.SignedIn, ChildrenCsvAsync),
        new("BoardPack", "GET", PageRoutes.BoardPack, PageAccess.SignedIn, BoardPackAsync),
    ];

    /// <summary>What one request may see of a YOT-quarter.</summary>
    private sealed record Scope(string Yot, Quarter Period, bool Published, bool MaySeeChildren, bool MayChooseView);

    private static (Scope? Scope, PageResult? Refusal) ScopeOf(PageRequest request)
    {
        var caller = request.SignedIn;
        var yot = request.Route("yot");
        var view = caller.ViewOf(yot);
        if (view == AggregateView.None)
            return (null, PageResult.Forbidden(caller.Yot is { } own && (caller.Is(ApiRoles.Analyst) || caller.Is(ApiRoles.Board))
                ? $"You can see {own}'s figures only."
                : "These pages are for YOT analysts and board members (their own YOT) and the Youth Justice Board."));
        var period = Quarter.Of(DateOnly.MinValue);
        if (request.Values.ContainsKey("period") && !Quarter.TryParse(request.Route("period"), out period))
            return (null, PageResult.NotFound($"'{request.Route("period")}' is not a quarter: write it as YYYY-Qn, for example 2026-Q2."));
        var published = view == AggregateView.Suppressed || request.Query("view") == "published";
        return (new Scope(yot, period, published, !published && caller.MaySeeChildren(yot), view == AggregateView.Unsuppressed), null);
    }

    private KpiSet Release(KpiSet set, bool published) => published ? DisclosureControl.Apply(set, disclosure.Value) : set;

    private async Task<(KpiSet? Set, IReadOnlyList<(Quarter Quarter, KpiSet? Set)> Trend)> LoadAsync(Scope scope,
        CancellationToken cancellationToken)
    {
        var stored = (await store.TrendAsync(scope.Yot, scope.Period, TrendQuarters, cancellationToken))
            .ToDictionary(s => s.Period, StringComparer.Ordinal);
        var quarters = new List<Quarter> { scope.Period };
        while (quarters.Count < TrendQuarters) quarters.Insert(0, quarters[0].Previous());
        var trend = quarters.Select(q => (q, stored.TryGetValue(q.ToString(), out var s) ? Release(s, scope.Published) : null)).ToList();
        return (trend[^1].Item2, trend);
    }

    // ---- YOTs ---------------------------------------------------------------------------------------------------

    private async Task<PageResult> YotsAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var caller = request.SignedIn;
        if (!caller.Is(ApiRoles.Yjb))
            return caller.Yot is { } own && (caller.Is(ApiRoles.Analyst) || caller.Is(ApiRoles.Board))
                ? PageResult.Redirect($"/yots/{Url(own)}")
                : PageResult.Forbidden("These pages are for YOT analysts and board members and the Youth Justice Board.");
        var yots = (await agreements.AllAsync(cancellationToken)).Select(a => a.Yot).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        return PageResult.View("YOTs", H($"""
            <h1 class="govuk-heading-xl">Youth offending teams</h1>
            <p class="govuk-body">Figures as they may be published: any count from 1 to {disclosure.Value.Threshold} is withheld (c).</p>
            <ul class="govuk-list">{Join(yots, y => H($"<li><a class=\"govuk-link\" href=\"/yots/{Url(y)}\">{y}</a></li>"))}</ul>
            """), yots.Count);
    }

    /// <summary>A YOT's latest quarter with results (of the last <see cref="TrendQuarters"/>), or the current quarter.</summary>
    private async Task<PageResult> YotAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = ScopeOf(request);
        if (scope is null) return refusal!;
        var stored = await store.TrendAsync(scope.Yot, quality.CurrentPeriod(), TrendQuarters, cancellationToken);
        var latest = stored.Count > 0 ? stored[^1] : null;
        var period = latest is not null ? Quarter.Parse(latest.Period) : quality.CurrentPeriod();
        return PageResult.Redirect(PageRoutes.OverviewOf(scope.Yot, period, scope.Published && scope.MayChooseView));
    }

    // ---- Overview -------------------------------------------------------------------------------------------------

    private async Task<PageResult> OverviewAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = ScopeOf(request);
        if (scope is null) return refusal!;
        var (set, trend) = await LoadAsync(scope!, cancellationToken);
        var heading = H($"<h1 class=\"govuk-heading-xl\">{scope.Yot}: KPIs<span class=\"govuk-caption-l\">{scope.Period} ({scope.Period.FinancialYearLabel}), {scope.Period.Start:d MMMM} to {scope.Period.End:d MMMM yyyy}</span></h1>");
        if (set is null)
            return PageResult.View($"{scope.Yot} KPIs, {scope.Period}",
                heading + QuarterNav(scope, p => PageRoutes.OverviewOf(scope.Yot, p, scope.Published && scope.MayChooseView)) +
                H($"<p class=\"govuk-body\">There are no KPI results for {scope.Yot} in {scope.Period}. Results appear once the YOT's case data for the quarter has been received.</p>"));

        var headlines = set.Kpis.Where(k => KpiCatalogue.IsHeadline(k.Id)).OrderBy(k => KpiCatalogue.DisplayRank(k.Id)).ToList();
        var cards = Join(headlines, k =>
        {
            var points = Points(trend, k.Id);
            return H($"""
                <li class="pages-card"><h2 class="govuk-heading-s pages-card__title"><a class="govuk-link" href="{PageRoutes.KpiOf(scope.Yot, scope.Period, k.Id, scope.Published && scope.MayChooseView)}">{KpiCatalogue.Title(k.Id)}</a></h2>
                <p class="pages-card__value">{BoardPackHtml.Value(k)}</p>
                <p class="govuk-body-s pages-card__counts">{Counts(k)}</p>
                {SvgCharts.Line(points, k.Scale, small: true)}
                <p class="govuk-body-s govuk-!-margin-bottom-0">Last {TrendQuarters} quarters: {string.Join(", ", points.Select(p => $"{p.Label} {(p.Value is null ? p.Mark : BoardPackHtml.Format(p.Value, KpiCatalogue.Units(k.Id), k.Scale, false))}"))}</p></li>
                """);
        });
        var body = heading + ViewBanner(scope, PageRoutes.OverviewOf(scope.Yot, scope.Period)) + QuarterNav(scope, p => PageRoutes.OverviewOf(scope.Yot, p, scope.Published && scope.MayChooseView)) + H($"""
            <p class="govuk-body"><a class="govuk-link" href="/yots/{Url(scope.Yot)}/{scope.Period}/board-pack{(scope.Published && scope.MayChooseView ? "?publish=true" : "")}">Open the board pack for {scope.Period}</a></p>
            <h2 class="govuk-heading-l">Headline KPIs</h2>
            <ul class="pages-cards">{cards}</ul>
            <h2 class="govuk-heading-l">Every figure</h2>
            {FiguresTable(scope, set)}
            <p class="govuk-body"><a class="govuk-link" href="/yots/{Url(scope.Yot)}/{scope.Period}/overview.csv{PageRoutes.View(scope.Published && scope.MayChooseView)}" download>Download this table (CSV)</a></p>
            """);
        return PageResult.View($"{scope.Yot} KPIs, {scope.Period}", body, set.Kpis.Count);
    }

    private static Markup FiguresTable(Scope scope, KpiSet set) => H($"""
        <table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Every KPI and sub-measure, {scope.Period}</caption>
        <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Measure</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Numerator</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Denominator</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th></tr></thead>
        <tbody class="govuk-table__body">{Join(set.Kpis.OrderBy(k => KpiCatalogue.DisplayRank(k.Id)), k => H($"""
            <tr class="govuk-table__row"><th scope="row" class="govuk-table__header{(KpiCatalogue.IsHeadline(k.Id) ? "" : " pages-sub")}"><a class="govuk-link" href="{PageRoutes.KpiOf(scope.Yot, scope.Period, k.Id, scope.Published && scope.MayChooseView)}">{KpiCatalogue.Title(k.Id)}</a></th>
            <td class="govuk-table__cell govuk-table__cell--numeric">{Count(k,
                k.Numerator)}</td><td class="govuk-table__cell govuk-table__cell--numeric">{Count(k,
                k.Denominator)}</td><td class="govuk-table__cell govuk-table__cell--numeric">{BoardPackHtml.Value(k)}</td></tr>
            """))}</tbody></table>
        """);

    private async Task<PageResult> OverviewCsvAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = ScopeOf(request);
        if (scope is null) return refusal!;
        var (set, _) = await LoadAsync(scope!, cancellationToken);
        if (set is null) return PageResult.NotFound($"There are no KPI results for {scope.Yot} in {scope.Period}.");
        return PageResult.Csv($"{scope.Yot}-{scope.Period}-kpis{(scope.Published ? "-published" : "")}.csv", async (w, ct) =>
        {
            SafeCsv.WriteRow(w, ["kpi_id", "title", "numerator", "denominator", "value", "per"]);
            foreach (var k in set.Kpis.OrderBy(k => KpiCatalogue.DisplayRank(k.Id)))
                SafeCsv.WriteRow(w, [k.Id, KpiCatalogue.Title(k.Id), CsvCount(k.Id, k.Suppressed, k.Numerator),
                    CsvCount(k.Id, k.Suppressed, k.Denominator), CsvValue(k.Value, k.Suppressed), k.Scale.ToString(Inv)]);
            await Task.CompletedTask;
        }, set.Kpis.Count);
    }

    // ---- One KPI --------------------------------------------------------------------------------------------------

    private async Task<PageResult> KpiAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = ScopeOf(request);
        if (scope is null) return refusal!;
        var kpiId = request.Route("kpiId");
        var (set, trend) = await LoadAsync(scope!, cancellationToken);
        if (set?.Kpis.FirstOrDefault(k => k.Id == kpiId) is not { } k)
            return PageResult.NotFound($"There is no result for '{kpiId}' for {scope.Yot} in {scope.Period}.");
        var title = KpiCatalogue.Title(kpiId);
        var points = Points(trend, kpiId);
        var children = scope.MaySeeChildren && KpiChildPopulations.Of(kpiId) is not null;
        var subMeasures = KpiCatalogue.Definitions.Values.Where(d => d.Parent == kpiId && set.Kpis.Any(x => x.Id == d.Id))
            .OrderBy(d => d.Rank).ToList();
        var parent = KpiCatalogue.Definitions.TryGetValue(kpiId, out var def) && def.Parent is { } p ? p : null;
        var trendRows = trend.Select(t => (t.Quarter, K: t.Set?.Kpis.FirstOrDefault(x => x.Id == kpiId))).ToList();
        var view = PageRoutes.View(scope.Published && scope.MayChooseView);
        var basePath = $"/yots/{Url(scope.Yot)}/{scope.Period}/kpis/{Url(kpiId)}";

        var body = H($"""
            <h1 class="govuk-heading-xl">{title}<span class="govuk-caption-l">{scope.Yot}, {scope.Period} ({scope.Period.FinancialYearLabel})</span></h1>
            {ViewBanner(scope, PageRoutes.KpiOf(scope.Yot, scope.Period, kpiId))}
            <div class="pages-figure"><p class="pages-figure__value">{BoardPackHtml.Value(k)}</p><p class="govuk-body">{Counts(k)}{(k.Scale != 1 ? $" (a rate per {k.Scale:N0})" : "")}</p></div>
            {When(k.Suppressed, H($"<p class=\"govuk-inset-text\">Withheld (c): the numerator or denominator is from 1 to {disclosure.Value.Threshold}, and would identify children if published.</p>"))}
            {When(children, H($"<p class=\"govuk-body\"><a class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\" href=\"{PageRoutes.ChildrenOf(scope.Yot, scope.Period, kpiId)}\">See the children behind this figure</a></p>"))}
            {When(parent is not null, H($"<p class=\"govuk-body\">Part of <a class=\"govuk-link\" href=\"{PageRoutes.KpiOf(scope.Yot, scope.Period, parent ?? "", scope.Published && scope.MayChooseView)}\">{KpiCatalogue.Title(parent ?? "")}</a>.</p>"))}
            {When(subMeasures.Count > 0, H($"<h2 class=\"govuk-heading-m\">Sub-measures</h2><ul class=\"govuk-list govuk-list--bullet\">{Join(subMeasures, d => H($"<li><a class=\"govuk-link\" href=\"{PageRoutes.KpiOf(scope.Yot, scope.Period, d.Id, scope.Published && scope.MayChooseView)}\">{d.Title}</a></li>"))}</ul>"))}
            <h2 class="govuk-heading-l">Last {TrendQuarters} quarters</h2>
            {SvgCharts.Line(points, k.Scale, small: false)}
            <table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">{title}, by quarter</caption>
            <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Quarter</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Numerator</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Denominator</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th></tr></thead>
            <tbody class="govuk-table__body">{Join(trendRows, t => H($"<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\">{t.Quarter}</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">{(t.K is null ? "x" : Count(t.K, t.K.Numerator))}</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">{(t.K is null ? "x" : Count(t.K, t.K.Denominator))}</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">{BoardPackHtml.Value(t.K)}</td></tr>"))}</tbody></table>
            <p class="govuk-body"><a class="govuk-link" href="{basePath}/trend.csv{view}" download>Download this table (CSV)</a></p>
            <h2 class="govuk-heading-l">Breakdowns</h2>
            {(k.Breakdowns.Count == 0 ? H($"<p class=\"govuk-body\">This measure has no breakdowns.</p>") : Join(k.Breakdowns.OrderBy(b => BreakdownOrder(b.Key)), b => Breakdown(scope, k, b.Key, b.Value, children, $"{basePath}/breakdowns/{Url(b.Key)}.csv{view}")))}
            {Legend()}
            """);
        return PageResult.View($"{title}, {scope.Yot} {scope.Period}", body, 1 + k.Breakdowns.Sum(b => b.Value.Count),
            new Crumb($"{scope.Yot} KPIs, {scope.Period}", PageRoutes.OverviewOf(scope.Yot, scope.Period, scope.Published
                && scope.MayChooseView)));
    }

    private static Markup Breakdown(Scope scope, KpiResult k, string breakdown, IReadOnlyList<KpiGroup> groups, bool children, string csv)
    {
        var indices = BoardPackDisproportionality.Indices(k.Id, breakdown, groups);
        var tested = BoardPackDisproportionality.Testable(k.Id);
        var name = BreakdownName(breakdown);
        return H($"""
            <h3 class="govuk-heading-m" id="breakdown-{breakdown}">By {name.ToLowerInvariant()}</h3>
            {SvgCharts.Bars(groups.Select(g => new SvgCharts.Point(g.Group, g.Suppressed ? null : g.Value * k.Scale, g.Suppressed ? "c" : "x")).ToList(), k.Scale)}
            <table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">{KpiCatalogue.Title(k.Id)} by {name.ToLowerInvariant()}</caption>
            <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">{name}</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Numerator</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Denominator</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric"><abbr title="relative rate index">RRI</abbr></th>{When(tested, H($"<th scope=\"col\" class=\"govuk-table__header\">Significant at 95%</th>"))}</tr></thead>
            <tbody class="govuk-table__body">{Join(indices, i => H($"""
                <tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{(children && !i.Group.Suppressed && i.Group.Denominator > 0 ? H($"<a class=\"govuk-link\" href=\"{PageRoutes.ChildrenOf(scope.Yot, scope.Period, k.Id, breakdown, i.Group.Group)}\">{i.Group.Group}<span class=\"govuk-visually-hidden\">: see these children</span></a>") : H($"{i.Group.Group}"))}</th>
                <td class="govuk-table__cell govuk-table__cell--numeric">{(i.Group.Suppressed ? "c"
                    : KpiCatalogue.Units(k.Id)
                    .Format(i.Group.Numerator))}</td><td class="govuk-table__cell govuk-table__cell--numeric">{(i.Group.Suppressed ? "c"
                    : KpiCatalogue.Units(k.Id).Format(i.Group.Denominator))}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{BoardPackHtml.Format(i.Group.Value * k.Scale,
                    KpiCatalogue.Units(k.Id), k.Scale, i.Group.Suppressed)}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{Rri(i)}</td>{When(tested,
                    H($"<td class=\"govuk-table__cell\">{(i.Significant is null ? "" : i.Significant.Value ? "yes" : "no")}</td>"))}</tr>
                """))}</tbody></table>
            <p class="govuk-body"><a class="govuk-link" href="{csv}" download>Download this table (
                CSV)<span class="govuk-visually-hidden">: by {name.ToLowerInvariant()}</span></a></p>
            """);
    }

    private static string Rri(BoardPackDisproportionality.Index i) => i.Reason switch
    {
        "ref" => "1.00 (reference)",
        "c" => "c",
        "x" => "x",
        _ => i.Rri is { } r ? r.ToString("0.00", Inv) : "x",
    };

    private async Task<PageResult> TrendCsvAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = ScopeOf(request);
        if (scope is null) return refusal!;
        var kpiId = request.Route("kpiId");
        var (_, trend) = await LoadAsync(scope!, cancellationToken);
        var rows = trend.Select(t => (t.Quarter, K: t.Set?.Kpis.FirstOrDefault(x => x.Id == kpiId))).ToList();
        return PageResult.Csv($"{scope.Yot}-{scope.Period}-{kpiId}-trend{(scope.Published ? "-published" : "")}.csv", async (w, ct) =>
        {
            SafeCsv.WriteRow(w, ["period", "kpi_id", "numerator", "denominator", "value"]);
            foreach (var (q, k) in rows)
                SafeCsv.WriteRow(w, [q.ToString(), kpiId, k is null ? "x" : CsvCount(kpiId, k.Suppressed, k.Numerator), k is null ? "x"
                    : CsvCount(kpiId, k.Suppressed, k.Denominator), k is null ? "x" : CsvValue(k.Value, k.Suppressed)]);
            await Task.CompletedTask;
        }, rows.Count);
    }

    private async Task<PageResult> BreakdownCsvAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = ScopeOf(request);
        if (scope is null) return refusal!;
        var (kpiId, breakdown) = (request.Route("kpiId"), request.Route("breakdown"));
        var (set, _) = await LoadAsync(scope!, cancellationToken);
        if (set?.Kpis.FirstOrDefault(k => k.Id == kpiId) is not { } k || !k.Breakdowns.TryGetValue(breakdown, out var groups))
            return PageResult.NotFound($"There is no breakdown '{breakdown}' of '{kpiId}' for {scope.Yot} in {scope.Period}.");
        var indices = BoardPackDisproportionality.Indices(kpiId, breakdown, groups);
        return PageResult.Csv($"{scope.Yot}-{scope.Period}-{kpiId}-{breakdown}{(scope.Published ? "-published" : "")}.csv", async (w, ct) =>
        {
            SafeCsv.WriteRow(w, ["kpi_id", "breakdown", "group", "numerator", "denominator", "value", "rri", "z", "significant"]);
            foreach (var i in indices)
                SafeCsv.WriteRow(w, [kpiId, breakdown, i.Group.Group, CsvCount(kpiId, i.Group.Suppressed, i.Group.Numerator),
                    CsvCount(kpiId, i.Group.Suppressed, i.Group.Denominator),
                    CsvValue(i.Group.Value * k.Scale, i.Group.Suppressed), i.Rri?.ToString("0.####", Inv) ?? i.Reason ?? "x",
                        i.Z?.ToString("0.####", Inv) ?? "",
                    i.Significant is null ? "" : i.Significant.Value ? "yes" : "no"]);
            await Task.CompletedTask;
        }, indices.Count);
    }

    // ---- Children -------------------------------------------------------------------------------------------------

    private async Task<(Scope? Scope, KpiChildRows? Rows, IReadOnlyList<KpiChildRow> Filtered, string? Breakdown, string? Group, PageResult? Refusal)> ChildRowsAsync(
        PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = ScopeOf(request);
        if (scope is null) return (null, null, [], null, null, refusal);
        var kpiId = request.Route("kpiId");
        if (!request.SignedIn.MaySeeChildren(scope.Yot))
            return (null, null, [], null, null, PageResult.Forbidden($"Child-level rows are for {scope.Yot}'s own analysts only."));
        if (!KpiCatalogue.Definitions.ContainsKey(kpiId)) return (null, null, [], null, null,
            PageResult.NotFound($"There is no KPI '{kpiId}'."));
        var rows = await KpiChildPopulations.ReadAsync(storage, kpiOptions.Value, scope.Yot, scope.Period, kpiId, cancellationToken);
        if (rows is null)
            return (null, null, [], null, null, PageResult.NotFound($"'{KpiCatalogue.Title(kpiId)}' is not counted over children (it counts sectors, offences or programmes), so there are no child-level rows."));
        var (breakdown, group) = (request.Query("breakdown"), request.Query("group"));
        var filtered = breakdown is null ? rows.Children
            : rows.Children.Where(c => c.Groups.TryGetValue(breakdown, out var g) && g == (group ?? "")).ToList();
        return (scope, rows, filtered, breakdown, group, null);
    }

    private async Task<PageResult> ChildrenAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, rows, filtered, breakdown, group, refusal) = await ChildRowsAsync(request, cancellationToken);
        if (scope is null || rows is null) return refusal!;
        var kpiId = rows!.KpiId;
        var title = KpiCatalogue.Title(kpiId);
        var units = KpiCatalogue.Units(kpiId);
        var page = DropPages.PageNumber(request, filtered.Count, ChildrenPageSize);
        var shown = filtered.Skip((page - 1) * ChildrenPageSize).Take(ChildrenPageSize).ToList();
        var filter = breakdown is null ? "" : $"?breakdown={Url(breakdown)}&group={Url(group ?? "")}";
        var (numerator, denominator) = (filtered.Sum(c => c.Numerator), filtered.Sum(c => c.Denominator));
        var groupLabel = breakdown is null ? null : $"{BreakdownName(breakdown)}: {group}";
        var body = H($"""
            <h1 class="govuk-heading-xl">Children behind the figure<span class="govuk-caption-l">{title}, {scope.Yot}, {scope.Period}{(groupLabel is null ? "" : $" — {groupLabel}")}</span></h1>
            <p class="govuk-body">Each child is shown by pseudonym and age band only. The numerator and denominator columns are what each child adds to the figure: together these {filtered.Count:N0} children make {units.Format(numerator)} of {units.Format(denominator)}.</p>
            {When(breakdown is not null, H($"<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"{PageRoutes.ChildrenOf(scope.Yot, scope.Period, kpiId)}\">Show every child behind the figure</a></p>"))}
            <table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">{filtered.Count:N0} children{(groupLabel is null ? "" : $" ({groupLabel})")}</caption>
            <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Child (pseudonym)</th><th scope="col" class="govuk-table__header">Age band</th>{When(breakdown is not null, H($"<th scope=\"col\" class=\"govuk-table__header\">{BreakdownName(breakdown ?? "")}</th>"))}<th scope="col" class="govuk-table__header govuk-table__header--numeric">Numerator ({units.Numerator})</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Denominator ({units.Denominator})</th></tr></thead>
            <tbody class="govuk-table__body">{Join(shown, c => H($"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><code class=\"pages-break\">{c.ChildId}</code></td><td class=\"govuk-table__cell\">{c.Groups.GetValueOrDefault(ChildProfiles.AgeGroup, "unknown")}</td>{When(breakdown is not null, H($"<td class=\"govuk-table__cell\">{c.Groups.GetValueOrDefault(breakdown ?? "", "")}</td>"))}<td class=\"govuk-table__cell govuk-table__cell--numeric\">{units.Format(c.Numerator)}</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">{units.Format(c.Denominator)}</td></tr>"))}</tbody>
            <tfoot><tr class="govuk-table__row"><th scope="row" class="govuk-table__header" colspan="{(breakdown is null ? 2 : 3)}">Total of every child listed</th><td class="govuk-table__cell govuk-table__cell--numeric">{units.Format(numerator)}</td><td class="govuk-table__cell govuk-table__cell--numeric">{units.Format(denominator)}</td></tr></tfoot></table>
            {DropPages.Pagination(PageRoutes.ChildrenOf(scope.Yot, scope.Period, kpiId, breakdown, group), page, filtered.Count, ChildrenPageSize)}
            <p class="govuk-body"><a class="govuk-link" href="/yots/{Url(scope.Yot)}/{scope.Period}/kpis/{Url(kpiId)}/children.csv{filter}" download>Download these children (CSV)</a></p>
            """);
        return PageResult.View($"Children behind {title}", body, shown.Count,
            new Crumb($"{scope.Yot} KPIs, {scope.Period}", PageRoutes.OverviewOf(scope.Yot, scope.Period)),
            new Crumb(title, PageRoutes.KpiOf(scope.Yot, scope.Period, kpiId)));
    }

    private async Task<PageResult> ChildrenCsvAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, rows, filtered, breakdown, _, refusal) = await ChildRowsAsync(request, cancellationToken);
        if (scope is null || rows is null) return refusal!;
        var units = KpiCatalogue.Units(rows!.KpiId);
        return PageResult.Csv($"{scope.Yot}-{scope.Period}-{rows!.KpiId}-children.csv", async (w, ct) =>
        {
            SafeCsv.WriteRow(w, breakdown is null ? ["child_id", "age_group", "numerator", "denominator"]
                : ["child_id", "age_group", breakdown, "numerator", "denominator"]);
            foreach (var c in filtered)
            {
                var age = c.Groups.GetValueOrDefault(ChildProfiles.AgeGroup, "unknown");
                string n = units.Shown(c.Numerator).ToString(Inv), d = units.Shown(c.Denominator).ToString(Inv);
                SafeCsv.WriteRow(w, breakdown is null ? [c.ChildId, age, n, d]
                    : [c.ChildId, age, c.Groups.GetValueOrDefault(breakdown, ""), n, d]);
            }
            await Task.CompletedTask;
        }, filtered.Count);
    }

    // ---- Board pack -----------------------------------------------------------------------------------------------

    private async Task<PageResult> BoardPackAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = ScopeOf(request);
        if (scope is null) return refusal!;
        var publish = scope.Published || request.Query("publish") == "true";
        var html = await boardPacks.BuildAsync(scope.Yot, scope.Period, new BoardPackOptions { Publish = publish }, cancellationToken);
        return new PageResult { Document = html, DocumentPolicy = BoardPackHtml.ContentSecurityPolicy, Rows = 1 };
    }

    // ---- Shared ---------------------------------------------------------------------------------------------------

    private Markup ViewBanner(Scope scope, string unpublishedHref)
    {
        if (scope.Published)
            return H($"""
                <div class="govuk-notification-banner" role="region" aria-labelledby="view-banner-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="view-banner-title">Published figures</h2></div>
                <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">Disclosure control applied: any count from 1 to {disclosure.Value.Threshold} is withheld (c), and a second figure where a total would reveal it.</p>
                {When(scope.MayChooseView, H($"<p class=\"govuk-body\"><a class=\"govuk-notification-banner__link\" href=\"{unpublishedHref}\">Show the full figures</a></p>"))}</div></div>
                """);
        return scope.MayChooseView
            ? H($"<p class=\"govuk-body\"><strong class=\"govuk-tag govuk-tag--orange\">Not for publication</strong> Full figures for {scope.Yot}'s own use. <a class=\"govuk-link\" href=\"{unpublishedHref}{PageRoutes.View(true)}\">Show the figures as they would be published</a></p>")
            : Markup.Empty;
    }

    private static Markup QuarterNav(Scope scope, Func<Quarter, string> href)
    {
        var next = scope.Period.Number == 4 ? new Quarter(scope.Period.Year + 1, 1)
            : new Quarter(scope.Period.Year, scope.Period.Number + 1);
        return H($"""
            <nav class="govuk-pagination govuk-pagination--block" aria-label="Quarters">
            <div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="{href(scope.Period.Previous())}" rel="prev"><span class="govuk-pagination__link-title">Previous quarter</span><span class="govuk-visually-hidden">:</span><span class="govuk-pagination__link-label">{scope.Period.Previous()}</span></a></div>
            <div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="{href(next)}" rel="next"><span class="govuk-pagination__link-title">Next quarter</span><span class="govuk-visually-hidden">:</span><span class="govuk-pagination__link-label">{next}</span></a></div>
            </nav>
            """);
    }

    private static Markup Legend() => H($"""
        <h2 class="govuk-heading-m">Symbols</h2>
        <dl class="govuk-summary-list govuk-summary-list--no-border">
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">c</dt><dd class="govuk-summary-list__value">withheld to protect confidentiality</dd></div>
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">x</dt><dd class="govuk-summary-list__value">not available: no one in the denominator, or no results for that quarter</dd></div>
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">RRI</dt><dd class="govuk-summary-list__value">relative rate index: a group's rate divided by the reference group's (White for ethnicity, otherwise the largest group). Significant: a two-proportion z-test at 95%. Small groups give unstable indices: read them with their counts.</dd></div>
        </dl>
        """);

    private static List<SvgCharts.Point> Points(IReadOnlyList<(Quarter Quarter, KpiSet? Set)> trend, string kpiId) =>
        trend.Select(t => t.Set?.Kpis.FirstOrDefault(k => k.Id == kpiId) is { } k
            ? new SvgCharts.Point(t.Quarter.ToString(), k.Suppressed ? null : k.Value, k.Suppressed ? "c" : "x")
            : new SvgCharts.Point(t.Quarter.ToString(), null, "x")).ToList();

    private static string Counts(KpiResult k) => k.Suppressed ? "withheld (c)"
        : $"{KpiCatalogue.Units(k.Id).Format(k.Numerator)} of {KpiCatalogue.Units(k.Id).Format(k.Denominator)}";

    // Hours are counted in minutes so half-hours stay exact; people read them in hours.
    private static string Count(KpiResult k, long n) => k.Suppressed ? "c" : KpiCatalogue.Units(k.Id).Format(n);

    private static string CsvCount(string kpiId, bool suppressed, long n) => suppressed ? "c"
        : KpiCatalogue.Units(kpiId).Shown(n).ToString(Inv);

    private static string CsvValue(double? value, bool suppressed) => suppressed ? "c" : value is { } v ? v.ToString("0.######", Inv) : "x";

    private static int BreakdownOrder(string breakdown) => ChildProfiles.Dimensions.ToList().IndexOf(breakdown) is var i and >= 0 ? i : 100;

    public static string BreakdownName(string breakdown) => breakdown switch
    {
        ChildProfiles.Ethnicity => "Ethnicity",
        ChildProfiles.Sex => "Sex",
        ChildProfiles.AgeGroup => "Age group",
        ChildProfiles.OrderType => "Order type",
        ChildProfiles.Send => "SEND",
        ChildProfiles.Ehcp => "EHCP",
        ChildProfiles.Excluded => "Suspended or excluded",
        ChildProfiles.LookedAfter => "Looked after",
        ChildProfiles.Legal => "Out of court or court",
        "" => "",
        _ => char.ToUpperInvariant(breakdown[0]) + breakdown[1..].Replace('-', ' '),
    };
}
