using YouthJustice.Pipeline.Kpis.Population;
using YouthJustice.Pipeline.Periods;
using static YouthJustice.Pipeline.Kpis.Families.ProvenOffences;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// The long-standing national indicators as local estimates from the YOT's own data (docs/kpis.md §2, the paragraph after
/// the table; the official figures come from the Police National Computer, which also knows other areas' history).
/// Rates use the area's 10–17 population (the previous year's estimate, loaded as data and named in the result); where
/// none is loaded the denominator is 0 and the value null — missing, not zero. Only local residents count (§1), and a
/// child's age is judged as for KPI 9: at the offence for a pre-court outcome, at the outcome for a court one.
/// <list type="bullet">
/// <item><c>nat-fte</c>: children whose first formal outcome (youth caution, youth conditional caution or court
/// outcome; see <see cref="Offence.Kind"/>) in the YOT's data falls in the quarter, per 100,000. Community
/// resolutions and NFA outcomes are ignored altogether: a child with a community resolution last year and a caution
/// this quarter enters this quarter.</item>
/// <item><c>nat-custody</c>: custodial sentences (custody interventions, §1's exclusions applied, whose legal outcome
/// date is in the quarter), per 1,000. The specification counts sentences, as the YJB's use-of-custody measure does:
/// a child sentenced twice in the quarter counts twice.</item>
/// <item><c>nat-reoffending-binary</c> / <c>-frequency</c>, the MoJ proven reoffending measure: the cohort is the
/// children with a caution or a non-custodial court outcome, or released from custody, in the quarter that ended 18
/// months before this one ends (this quarter less six), so that every child has had 12 months to reoffend and 6 more
/// for the outcome. Index date: the child's first such event in the cohort quarter (a caution or court outcome on its
/// outcome date; a release on the custody intervention's end date — no drop carries the release date itself; an
/// offence sentenced to custody enters at release, not at sentence). A proven reoffence: an offence committed after
/// the index date and within 12 months of it, with a formal outcome within 18 months of it. Binary = reoffenders ÷
/// cohort; frequency = reoffences ÷ cohort (may exceed 1).</item>
/// </list>
/// </summary>
public sealed class NationalIndicators : IKpiFamily
{
    public const string FirstTimeEntrants = "nat-fte";
    public const string Custody = "nat-custody";
    public const string ReoffendingBinary = "nat-reoffending-binary";
    public const string ReoffendingFrequency = "nat-reoffending-frequency";

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotOffences);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(FirstTimeEntrants, 1100, "First-time entrants per 100,000 children aged 10-17 (local estimate)", Scale: 100_000,
            Units: KpiUnits.RatePerPopulation("first-time entrants")) { Sources = From },
        new(Custody, 1101, "Custodial sentences per 1,000 children aged 10-17 (local estimate)", Scale: 1_000,
            Units: KpiUnits.RatePerPopulation("custodial sentences")) { Sources = From },
        new(ReoffendingBinary, 1102,
            "Reoffending: children who reoffended within 12 months, of the cohort 18 months ago (local estimate)") { Sources = From },
        // Not a fraction: a child can reoffend more than once, so the value is reoffences per child and may exceed 1.
        new(ReoffendingFrequency, 1103, "Reoffending: reoffences per child of the cohort 18 months ago (local estimate)",
            Units: new("reoffences", "children in the cohort", ValueKind.Ratio, Per: "child")) { Sources = From },
    ];

    /// <summary>The reoffending cohort's quarter: the one ending 18 months before <paramref name="quarter"/> ends.</summary>
    public static Quarter CohortQuarter(Quarter quarter)
    {
        var q = quarter;
        for (var i = 0; i < 6; i++) q = q.Previous();
        return q;
    }

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var quarter = context.Quarter;
        var population = context.Population?.Population ?? 0;
        var offences = All(context.Data);
        var formal = offences.Where(o => o.IsFormal).ToList();

        // First-time entrants: the child's earliest formal outcome decides the quarter; it must itself count (age 10–17).
        var entrants = formal.GroupBy(o => o.ChildId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(o => o.Record.OutcomeDate).ThenBy(o => o.Record.OffenceId, StringComparer.Ordinal).First())
            .Where(first => quarter.Contains(first.Record.OutcomeDate) && first.Counts)
            .ToList();
        var fte = Breakdowns.Plain(FirstTimeEntrants, entrants.Count, population,
            entrants.SelectMany(first => formal.Where(o => o.ChildId == first.ChildId && o.Record.OutcomeDate <= first.Record.OutcomeDate)
                .SelectMany(o => o.Sources)),
            scale: 100_000) with { Population = context.Population };

        var sentences = KpiPopulations.Counted(context.Data)
            .Where(c => OrderTypes.IsCustody(c.Intervention.DisposalType) && quarter.Contains(c.Intervention.LegalOutcomeDate))
            .ToList();
        var custody = Breakdowns.Plain(Custody, sentences.Count, population,
            KpiContext.Sources(sentences), scale: 1_000) with { Population = context.Population };

        return Task.FromResult<IReadOnlyList<KpiResult>>([fte, custody, .. Reoffending(context, formal)]);
    }

    private static IEnumerable<KpiResult> Reoffending(KpiContext context, List<Offence> formal)
    {
        var cohortQuarter = CohortQuarter(context.Quarter);

        // Index events in the cohort quarter: cautions and non-custodial court outcomes (on the outcome date) ...
        var events = formal
            .Where(o => o.Kind != OutcomeKind.Custody && cohortQuarter.Contains(o.Record.OutcomeDate) && o.Counts)
            .Select(o => (o.ChildId, Day: o.Record.OutcomeDate, InterventionId: o.Intervention?.InterventionId,
                Sources: o.Sources.ToList()))
            // ... and releases from custody (§1's exclusions: local resident, 10–17 at the sentence's start, not appealed).
            .Concat(KpiPopulations.Counted(context.Data)
                .Where(c => OrderTypes.IsCustody(c.Intervention.DisposalType) && c.End is { } end && cohortQuarter.Contains(end))
                .Select(c => (c.ChildId, Day: c.End!.Value, InterventionId: (string?)c.Intervention.InterventionId,
                    Sources: new List<string> { c.Child.DropId, c.Intervention.DropId })));

        var cohort = events.GroupBy(e => e.ChildId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => e.Day).ThenBy(e => e.InterventionId, StringComparer.Ordinal).First())
            .OrderBy(e => e.ChildId, StringComparer.Ordinal)
            .ToList();

        var counts = new List<(string ChildId, long Reoffences)>();
        var sources = new List<string>();
        foreach (var (childId, index, _, indexSources) in cohort)
        {
            sources.AddRange(indexSources);
            var proven = formal.Where(o => o.ChildId == childId
                && o.Record.OffenceDate > index && o.Record.OffenceDate <= index.AddMonths(12)
                && o.Record.OutcomeDate <= index.AddMonths(18)).ToList();
            counts.Add((childId, proven.Count));
            sources.AddRange(proven.SelectMany(o => o.Sources));
        }

        // Breakdowns by the child's index intervention (none for an index outcome naming no intervention).
        var profiles = Profiles(context.Data, cohort.Where(e => e.InterventionId is not null).Select(e => (e.ChildId, e.InterventionId!)),
            cohortQuarter.End);
        yield return Breakdowns.Build(ReoffendingBinary, counts.Select(c => new ChildCount(c.ChildId, c.Reoffences > 0 ? 1 : 0, 1)),
            profiles, sources);
        yield return Breakdowns.Build(ReoffendingFrequency, counts.Select(c => new ChildCount(c.ChildId, c.Reoffences, 1)), profiles,
            sources);
    }
}
