using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Families;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>The pseudonymised children behind a child-level KPI: the population it is counted over, each with its profile groups.</summary>
/// <param name="Population">"orders-ending" (children with an order ending in the quarter) or "caseload" (an intervention open in it).</param>
public sealed record KpiChildRows(string KpiId, string Population, IReadOnlyList<ChildProfile> Children);

/// <summary>
/// Which population each KPI family counts over, for the analysts' child-level view (own YOT only). Families over
/// things that are not children (board sectors, offences, programmes) have none. The rows are the population the
/// KPI's denominator is drawn from; each child's own numerator and denominator contribution is not exposed by the
/// families yet, so it is not listed here.
/// </summary>
public static class KpiChildPopulations
{
    public const string OrdersEnding = "orders-ending";
    public const string Caseload = "caseload";

    private static readonly IReadOnlyDictionary<Type, string> ByFamily = new Dictionary<Type, string>
    {
        [typeof(AccommodationKpi)] = OrdersEnding,
        [typeof(EteKpi)] = OrdersEnding,
        [typeof(SendKpi)] = OrdersEnding,
        [typeof(HealthKpi)] = OrdersEnding,
        [typeof(NeetMeasure)] = OrdersEnding,
        [typeof(VictimsKpi)] = OrdersEnding,
        [typeof(WiderServicesKpi)] = OrdersEnding,
        [typeof(AttendanceMeasures)] = Caseload,
        [typeof(CollegeMeasures)] = Caseload,
        [typeof(ExclusionMeasures)] = Caseload,
        [typeof(RollMeasures)] = Caseload,
    };

    /// <summary>The population a KPI is counted over, or null when it is not child-level (or not a KPI).</summary>
    public static string? Of(string kpiId)
    {
        var family = KpiCatalogue.Families.FirstOrDefault(f => f.Definitions.Any(d => d.Id == kpiId));
        return family is not null && ByFamily.TryGetValue(family.GetType(), out var population) ? population : null;
    }

    /// <summary>The children behind <paramref name="kpiId"/> for a YOT and quarter, ordered by pseudonym; null when the KPI is not child-level.</summary>
    public static async Task<KpiChildRows?> ReadAsync(PipelineStorage storage, KpiOptions options, string yot, Quarter quarter, string kpiId,
        CancellationToken cancellationToken)
    {
        if (Of(kpiId) is not { } population) return null;
        var data = await YotData.LoadAsync(storage, yot, cancellationToken);
        var context = new KpiContext(storage, yot, quarter, data, options);
        var profiles = population == OrdersEnding ? context.OrdersEndingProfiles : context.CaseloadProfiles;
        return new KpiChildRows(kpiId, population, profiles.Values.OrderBy(p => p.ChildId, StringComparer.Ordinal).ToList());
    }
}
