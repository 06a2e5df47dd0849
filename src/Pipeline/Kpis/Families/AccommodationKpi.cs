using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPI 1 (docs/kpis.md §2): children with an order ending in suitable accommodation at the end of it, also at its start and
/// by accommodation type. By order type is the "order-type" breakdown every child-level KPI carries.
/// </summary>
public sealed class AccommodationKpi : IKpiFamily
{
    public const string Id = "kpi1-accommodation";
    public const string AtStart = Id + "-start";
    public const string ByType = Id + "-by-type";
    public const string TypeDimension = "accommodation-type";

    /// <summary>The accommodation contract: bed and breakfast and no fixed abode are unsuitable whatever is recorded.</summary>
    private static readonly HashSet<string> AlwaysUnsuitable = new(StringComparer.Ordinal) { "BED_AND_BREAKFAST", "NO_FIXED_ABODE" };

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotAccommodation);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 100, "Suitable accommodation at the end of the order") { Sources = From, Split = KpiSplit.End },
        new(AtStart, 101, "Suitable accommodation at the start of the order", Headline: false, Parent: Id) { Sources = From,
            Split = KpiSplit.Start },
        new(ByType, 102, "Suitable accommodation at the end, by accommodation type", Headline: false, Parent: Id) { Sources = From,
            Split = KpiSplit.End },
    ];

    public static bool IsSuitable(AccommodationRecord r) => r.Suitability == EpisodeRules.Suitable && !AlwaysUnsuitable.Contains(r.Type);

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var orders = context.OrdersEnding.Values.ToList();
        var byChild = context.Data.Accommodation.ToLookup(r => r.ChildId, StringComparer.Ordinal);

        // §1 at end: open on the counted order's end date; at start: on its start, the day before for custody.
        var atEnd = orders.ToDictionary(o => o.ChildId, o => EpisodeRules.OpenOn(byChild, o.ChildId, o.End!.Value), StringComparer.Ordinal);
        var atStart = orders.ToDictionary(o => o.ChildId, o => EpisodeRules.OpenOn(byChild, o.ChildId, o.AtStartDay),
            StringComparer.Ordinal);

        IEnumerable<ChildCount> Counts(Dictionary<string, IReadOnlyList<AccommodationRecord>> open) =>
            orders.Select(o => new ChildCount(o.ChildId, EpisodeRules.AllSuitable(open[o.ChildId], IsSuitable) ? 1 : 0, 1));

        var population = KpiContext.Sources(orders).ToList();
        var endSources = population.Concat(atEnd.Values.SelectMany(rs => rs.Select(r => r.DropId))).ToList();
        var startSources = population.Concat(atStart.Values.SelectMany(rs => rs.Select(r => r.DropId)));

        var typeAtEnd = atEnd.ToDictionary(kv => kv.Key, kv => EpisodeRules.TypeGroup(kv.Value.Select(r => r.Type)),
            StringComparer.Ordinal);
        var typedProfiles = EpisodeRules.WithDimension(context.OrdersEndingProfiles, TypeDimension, typeAtEnd);

        IReadOnlyList<KpiResult> results =
        [
            Breakdowns.Build(Id, Counts(atEnd), context.OrdersEndingProfiles, endSources),
            Breakdowns.Build(AtStart, Counts(atStart), context.OrdersEndingProfiles, startSources),
            Breakdowns.Build(ByType, Counts(atEnd), typedProfiles, endSources, EpisodeRules.DimensionsPlus(TypeDimension)),
        ];
        return Task.FromResult(results);
    }
}
