using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPI 6 (docs/kpis.md §2): children who completed their out-of-court programme ÷ children whose out-of-court programme
/// ended in the quarter. Not the "orders ending" population: only the six out-of-court disposal types with YJS
/// involvement count, but with the same §1 rules — not PREVENTION, not changed on appeal, local residents aged 10–17 at
/// the start, and one programme per child (the most serious, then the latest outcome, end, id), so a child whose
/// caution and community resolution both ended is counted once, for the caution.
/// </summary>
public sealed class OutOfCourtKpi : IKpiFamily
{
    public const string Id = "kpi6-oocd";

    /// <summary>The six disposal types (<see cref="OrderTypes.OutOfCourt"/>), each with its own completion rate.</summary>
    private static readonly IReadOnlyList<(string Suffix, string Type, string Label)> Types =
    [
        ("community-resolution", "COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT", "community resolution"),
        ("outcome-22", "NFA_OUTCOME_22_WITH_YJS_INVOLVEMENT", "outcome 22"),
        ("outcome-22-deferred-prosecution", "NFA_OUTCOME_22_DEFERRED_PROSECUTION_WITH_YJS_INVOLVEMENT", "outcome 22 deferred prosecution"),
        ("outcome-20-21", "NFA_OUTCOME_20_21_WITH_YJS_INVOLVEMENT", "outcome 20/21"),
        ("youth-caution", "YOUTH_CAUTION", "youth caution"),
        ("youth-conditional-caution", "YOUTH_CONDITIONAL_CAUTION", "youth conditional caution"),
    ];

    private static readonly IReadOnlyList<string> From = DropTypes.Caseload;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 600, "Out-of-court programmes completed, of those ended") { Sources = From },
        new($"{Id}-not-completed", 601, "Out-of-court programmes ended without being completed", false, Parent: Id) { Sources = From },
        .. Types.Select((t, i) => new KpiDefinition($"{Id}-{t.Suffix}", 602 + i, $"Out-of-court programmes completed: {t.Label}", false,
            Parent: Id)
            { Sources = From }),
    ];

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var quarter = context.Quarter;
        var ended = KpiPopulations.OneOrderPerChild(KpiPopulations.Counted(context.Data)
            .Where(o => OrderTypes.OutOfCourt.Contains(o.Intervention.DisposalType) && o.End is { } end && quarter.Contains(end)));
        // The breakdowns of this population: its own children and programmes, judged over each programme.
        var profiles = ChildProfiles.For(ended, context.Data, quarter.End);

        // oocd_completed is required once an out-of-court programme has ended; a missing flag is not a completion.
        static bool Completed(CountedOrder o) => o.Intervention.OocdCompleted == true;

        KpiResult Over(string id, IEnumerable<CountedOrder> orders, Func<CountedOrder, bool> counts)
        {
            var list = orders.ToList();
            return Breakdowns.Build(id, list.Select(o => new ChildCount(o.ChildId, counts(o) ? 1 : 0, 1)), profiles,
                KpiContext.Sources(list));
        }

        var results = new List<KpiResult>
        {
            Over(Id, ended.Values, Completed),
            Over($"{Id}-not-completed", ended.Values, o => !Completed(o)),
        };
        foreach (var t in Types)
            results.Add(Over($"{Id}-{t.Suffix}", ended.Values.Where(o => o.Intervention.DisposalType == t.Type), Completed));
        return Task.FromResult<IReadOnlyList<KpiResult>>(results);
    }
}
