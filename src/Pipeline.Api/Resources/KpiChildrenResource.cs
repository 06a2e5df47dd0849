using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>
/// The pseudonymised children behind a child-level KPI, with the groups they count in: for the YOT's own analysts only,
/// a page at a time. Rows carry pseudonyms and profile groups (an age band, never a date of birth).
/// </summary>
public sealed class KpiChildrenResource : IApiResource
{
    private readonly PipelineStorage _storage;
    private readonly KpiOptions _kpiOptions;

    public KpiChildrenResource(PipelineStorage storage, IOptions<KpiOptions> kpiOptions)
    {
        (_storage, _kpiOptions) = (storage, kpiOptions.Value);
        Endpoints =
        [
            new("GetKpiChildren", ApiRoutes.KpiChildren,
                "The pseudonymised children behind a child-level KPI, with their profile groups (the YOT's own analysts only).",
                [ApiRoles.Analyst], ApiPaging.Parameters, ChildrenAsync),
        ];
    }

    public IReadOnlyList<ApiEndpoint> Endpoints { get; }

    private async Task<ApiResult> ChildrenAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (yot, kpiId) = (request.Path("yot"), request.Path("kpiId"));
        if (!Quarter.TryParse(request.Path("period"), out var quarter)) return ApiResult.BadPeriod(request.Path("period"));
        if (!request.Caller!.MaySeeChildren(yot)) return ApiResult.Forbidden($"Child-level rows are for YOT '{yot}''s own analysts only.");
        if (!KpiCatalogue.Definitions.ContainsKey(kpiId)) return ApiResult.NotFound($"No KPI '{kpiId}'.");
        if (ApiPaging.PageSize(request) is not { } pageSize) return ApiPaging.BadPageSize();
        var rows = await KpiChildPopulations.ReadAsync(_storage, _kpiOptions, yot, quarter, kpiId, cancellationToken);
        if (rows is null) return ApiResult.NotFound(
            $"'{kpiId}' is not counted over children (it counts sectors, offences or programmes): no child-level rows.");
        var after = request.Get("continuationToken") is { } token ? ApiPaging.FromToken(token) : null;
        var page = rows.Children.Where(c => after is null || string.CompareOrdinal(c.ChildId, after) > 0).Take(pageSize + 1).ToList();
        var more = page.Count > pageSize;
        if (more) page.RemoveAt(page.Count - 1);
        var units = KpiCatalogue.Units(kpiId);
        return ApiResult.Ok(new
        {
            yot, period = quarter.ToString(), kpiId, population = rows.Population,
            note = "The children behind the KPI, with the groups they count in and what each adds to the numerator and denominator: the " +
                "rows add up to the figures.",
            unit = KpiJson.Unit(units, KpiCatalogue.Definitions[kpiId].Scale),
            children =
                page.Select(c => new { childId = c.ChildId, groups = c.Groups, numerator = units.Shown(c.Numerator),
                denominator = units.Shown(c.Denominator) }),
            continuationToken = more ? ApiPaging.ToToken(page[^1].ChildId) : null,
        }, page.Count);
    }
}
