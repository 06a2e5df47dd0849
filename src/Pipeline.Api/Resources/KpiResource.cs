using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>
/// A YOT's KPI results: a quarter's set, one KPI with its breakdowns, and the trend over quarters. The YOT's analysts
/// and board see them as computed; the YJB sees them with disclosure control applied.
/// </summary>
public sealed class KpiResource : IApiResource
{
    public const int TrendQuarters = 8;

    private readonly KpiStore _kpis;
    private readonly DisclosureOptions _disclosure;

    public KpiResource(KpiStore kpis, IOptions<DisclosureOptions> disclosure)
    {
        (_kpis, _disclosure) = (kpis, disclosure.Value);
        Endpoints =
        [
            new("GetKpis", ApiRoutes.Kpis, "Every KPI result of a YOT and quarter (the KPI results contract in the README).",
                ApiRoles.Aggregates, [], KpisAsync),
            new("GetKpi", ApiRoutes.Kpi, "One KPI of a YOT and quarter, with its breakdowns.", ApiRoles.Aggregates, [], KpiAsync),
            new("GetTrends", ApiRoutes.Trends, $"A YOT's KPI results over the {TrendQuarters} quarters ending with 'last', oldest first.",
                ApiRoles.Aggregates,
                [new("last", "The last quarter, YYYY-Qn.", Required: true), new("kpi", "Only this KPI id."),
                    new("quarters", $"How many quarters (1–40, default {TrendQuarters}).", Type: "integer")],
                TrendsAsync),
        ];
    }

    public IReadOnlyList<ApiEndpoint> Endpoints { get; }

    private async Task<ApiResult> KpisAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (set, error, suppressed) = await ReadSetAsync(request, cancellationToken);
        return error ?? ApiResult.Ok(ApiJson.Set(set!, suppressed), set!.Kpis.Count);
    }

    private async Task<ApiResult> KpiAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (set, error, suppressed) = await ReadSetAsync(request, cancellationToken);
        if (error is not null) return error;
        var kpiId = request.Path("kpiId");
        return set!.Kpis.FirstOrDefault(k => k.Id == kpiId) is { } kpi
            ? ApiResult.Ok(new { yot = set.Yot, period = set.Period, disclosureControl = suppressed, kpi = ApiJson.Kpi(kpi) },
                1 + kpi.Breakdowns.Sum(b => b.Value.Count))
            : ApiResult.NotFound($"No KPI '{kpiId}' in {set.Yot}'s results for {set.Period}.");
    }

    private async Task<(KpiSet? Set, ApiResult? Error, bool Suppressed)> ReadSetAsync(ApiRequest request,
        CancellationToken cancellationToken)
    {
        var yot = request.Path("yot");
        if (!Quarter.TryParse(request.Path("period"), out var quarter)) return (null, ApiResult.BadPeriod(request.Path("period")), false);
        var view = request.Caller!.ViewOf(yot);
        if (view == AggregateView.None) return (null, ApiResult.NotYourYot(yot), false);
        var set = await _kpis.ReadAsync(yot, quarter.ToString(), cancellationToken);
        if (set is null) return (null, ApiResult.NotFound($"No KPI results for {yot} in {quarter}."), false);
        return view == AggregateView.Suppressed ? (DisclosureControl.Apply(set, _disclosure), null, true) : (set, null, false);
    }

    private async Task<ApiResult> TrendsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var yot = request.Path("yot");
        if (!Quarter.TryParse(request.Get("last"), out var last)) return ApiResult.BadPeriod(request.Get("last") ?? "(missing 'last')");
        var quarters = TrendQuarters;
        if (request.Get("quarters") is { } q && (!int.TryParse(q, out quarters) || quarters is < 1 or > 40))
            return ApiResult.BadRequest("'quarters' must be a whole number from 1 to 40.");
        var view = request.Caller!.ViewOf(yot);
        if (view == AggregateView.None) return ApiResult.NotYourYot(yot);
        var kpi = request.Get("kpi");
        var sets = (await _kpis.TrendAsync(yot, last, quarters, cancellationToken))
            .Select(s => view == AggregateView.Suppressed ? DisclosureControl.Apply(s, _disclosure) : s)
            .Select(s => kpi is null ? s : s with { Kpis = s.Kpis.Where(k => k.Id == kpi).ToList() })
            .ToList();
        return ApiResult.Ok(new { yot, last = last.ToString(), kpi, disclosureControl = view == AggregateView.Suppressed,
            periods = sets.Select(s => s.Period),
            trend = sets.Select(s => ApiJson.Set(s, view == AggregateView.Suppressed)) }, sets.Sum(s => s.Kpis.Count));
    }
}
