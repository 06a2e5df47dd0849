using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Families;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>The pseudonymised children behind a child-level KPI, each with its profile groups and its part in the figures.</summary>
/// <param name="Population">"orders-ending" (children with an order ending in the quarter), "caseload" (an intervention open in it), or
/// "own" (a population of the KPI's own, e.g. out-of-court programmes ended).</param>
public sealed record KpiChildRows(string KpiId, string Population, IReadOnlyList<KpiChildRow> Children);

/// <summary>One child: pseudonym, breakdown groups, and what the child adds to the KPI's numerator and denominator.</summary>
public sealed record KpiChildRow(string ChildId, IReadOnlyDictionary<string, string> Groups, long Numerator, long Denominator);

/// <summary>
/// The analysts' child-level view (own YOT only): the KPI is computed afresh and each child's part in it listed, so the
/// rows add up to the figures. Results over things that are not children (board sectors, offences) have none.
/// </summary>
public static class KpiChildPopulations
{
    public const string OrdersEnding = "orders-ending";
    public const string Caseload = "caseload";
    public const string Own = "own";

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

    /// <summary>The children behind <paramref name="kpiId"/> for a YOT and quarter, ordered by pseudonym; null when the KPI is not
    /// child-level.</summary>
    public static async Task<KpiChildRows?> ReadAsync(PipelineStorage storage, KpiOptions options, string yot, Quarter quarter,
        string kpiId,
        CancellationToken cancellationToken)
    {
        if (KpiCatalogue.Families.FirstOrDefault(f => f.Definitions.Any(d => d.Id == kpiId)) is not { } family) return null;
        var data = await YotData.LoadAsync(storage, yot, cancellationToken);
        var context = new KpiContext(storage, yot, quarter, data, options,
            await KpiEngine.PopulationsAsync(storage, yot, cancellationToken));
        var result = (await family.ComputeAsync(context, cancellationToken)).FirstOrDefault(r => r.Id == kpiId);
        var population = Of(kpiId);
        if (result is null || (result.Children.Count == 0 && population is null)) return null;

        IReadOnlyDictionary<string, string> GroupsOf(string child) =>
            (population == Caseload ? context.CaseloadProfiles : context.OrdersEndingProfiles).TryGetValue(child, out var p) ? p.Groups
            : context.CaseloadProfiles.TryGetValue(child, out var c) ? c.Groups
            : new Dictionary<string, string>();
        var rows = result.Children.GroupBy(c => c.ChildId, StringComparer.Ordinal)
            .Select(g => new KpiChildRow(g.Key, GroupsOf(g.Key), g.Sum(c => c.Numerator), g.Sum(c => c.Denominator)))
            .OrderBy(r => r.ChildId, StringComparer.Ordinal).ToList();
        return new KpiChildRows(kpiId, population ?? Own, rows);
    }
}
