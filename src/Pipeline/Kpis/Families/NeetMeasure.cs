namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// The board's NEET measure (docs/kpis.md §3, <c>ete-neet-end</c>): of the children above compulsory school age at the end
/// of their order (the §1 "orders ending" population, one order per child, school age judged on that order's end
/// date), those with no education, training or employment then — every open ETE record is <c>NONE</c>, or none is open.
/// Unlike KPI 2 this is about being in any ETE at all, suitable or not.
/// </summary>
public sealed class NeetMeasure : IKpiFamily
{
    public const string Id = "ete-neet-end";

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotEte);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 1212, "NEET at the end of the order: children above school age with no ETE") { Sources = From, Split = KpiSplit.End },
    ];

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var byChild = context.Data.Ete.ToLookup(r => r.ChildId, StringComparer.Ordinal);
        var above = context.OrdersEnding.Values.Where(o => !EpisodeRules.IsSchoolAge(o.Child, o.End!.Value)).ToList();
        var atEnd = above.ToDictionary(o => o.ChildId, o => EpisodeRules.OpenOn(byChild, o.ChildId, o.End!.Value), StringComparer.Ordinal);

        IReadOnlyList<KpiResult> results =
        [
            Breakdowns.Build(Id, above.Select(o => new ChildCount(o.ChildId, EteKpi.InEte(atEnd[o.ChildId]) ? 0 : 1, 1)),
                context.OrdersEndingProfiles,
                KpiContext.Sources(above).Concat(atEnd.Values.SelectMany(rs => rs.Select(r => r.DropId)))),
        ];
        return Task.FromResult(results);
    }
}
