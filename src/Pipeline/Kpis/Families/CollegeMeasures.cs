using YouthJustice.Pipeline.Kpis.Data;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// The board's college measures (docs/kpis.md §3) for the caseload's learners: attendance, withdrawals and level 2 English and
/// maths achievement. A learner's aims at several colleges count together, as one learner (as a pupil's schools do).
/// <list type="bullet">
/// <item><b>Attendance</b> sums the hours of the reporting periods that <i>start</i> in the quarter (the period a
/// college-enrolment row belongs to, the schema's <c>x-period</c>), so a period straddling two quarters is counted once.
/// Results carry whole numbers, so hours are counted in minutes (each learner's summed hours × 60, rounded) and every
/// output shows them in hours (<see cref="KpiUnits.Hours"/>): half hours are not lost.</item>
/// <item><b>An aim's state</b> (dates, completion status, outcome) is read from its latest reporting period that starts
/// on or before the quarter's end: colleges re-send the whole aim each period, and nothing sent for later periods
/// changes the quarter's figures.</item>
/// <item><b>Withdrawn</b>: completion status 3 with <c>actual_end_date</c> in the quarter, of the learners with an aim
/// open on some day of it (started by its end, not ended before its start).</item>
/// <item><b>Level 2 English and maths</b>: the denominator is every learner with an English or maths aim
/// (<c>english_maths</c> Y) ending — by <c>actual_end_date</c> — in the quarter, at any level, as §3 words it; the
/// numerator those of them achieving (outcome 1) such an aim at level 2 ending in the quarter.</item>
/// </list>
/// </summary>
public sealed class CollegeMeasures : IKpiFamily
{
    public const string Attendance = "ete-college-attendance";
    public const string Withdrawn = "ete-college-withdrawn";
    public const string Level2EnglishMaths = "ete-l2-english-maths";

    /// <summary>ILR CompStatus 3 and Outcome 1 (the college-enrolment schema).</summary>
    public const string WithdrawnStatus = "3";
    public const string Achieved = "1";
    public const string Level2 = "2";

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.CollegeEnrolment);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Attendance, 1209, "College attendance: attended ÷ planned hours", Units: KpiUnits.Hours) { Sources = From },
        new(Withdrawn, 1210, "Withdrawn from college: learners who withdrew from an aim in the quarter") { Sources = From },
        new(Level2EnglishMaths, 1211,
            "Level 2 English or maths achieved, of learners finishing an English or maths aim") { Sources = From },
    ];

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var (quarter, caseload, profiles) = (context.Quarter, context.Caseload, context.CaseloadProfiles);
        var rows = context.Data.Enrolments.Where(e => caseload.ContainsKey(e.ChildId) && e.PeriodStart <= quarter.End).ToList();

        IEnumerable<string> Sources(IEnumerable<string> children, IEnumerable<EnrolmentRecord> used) =>
            KpiContext.Sources(children.Select(c => caseload[c])).Concat(used.Select(r => r.DropId));

        // Attendance: hours of the periods starting in the quarter, summed per learner; learners with planned hours.
        var periods = rows.Where(e => quarter.Contains(e.PeriodStart)).ToLookup(e => e.ChildId, StringComparer.Ordinal);
        var hours =
            periods.Select(g => (Child: g.Key, Planned: Minutes(g.Sum(e => e.PlannedHours)), Attended: Minutes(g.Sum(e => e.AttendedHours)),
            Rows: g.ToList()))
            .Where(h => h.Planned > 0).OrderBy(h => h.Child, StringComparer.Ordinal).ToList();
        var attendance = Breakdowns.Build(Attendance, hours.Select(h => new ChildCount(h.Child, h.Attended, h.Planned)), profiles,
            Sources(hours.Select(h => h.Child), hours.SelectMany(h => h.Rows)));

        // Each aim's latest period up to the quarter's end.
        var aims = rows.GroupBy(e => (e.ChildId, e.Ukprn, e.AimReference))
            .Select(g => g.OrderBy(e => e.PeriodStart).ThenBy(e => e.DropId, StringComparer.Ordinal).Last())
            .ToLookup(e => e.ChildId, StringComparer.Ordinal);

        // Withdrawn: of the learners with an aim open in the quarter.
        var learners =
            aims.Select(g =>
            (Child: g.Key, Open: g.Where(a => a.Start <= quarter.End && (a.ActualEnd is null || a.ActualEnd >= quarter.Start)).ToList()))
            .Where(l => l.Open.Count > 0).OrderBy(l => l.Child, StringComparer.Ordinal).ToList();
        var withdrawn = Breakdowns.Build(Withdrawn,
            learners.Select(l =>
                new ChildCount(l.Child, l.Open.Any(a => a.CompletionStatus == WithdrawnStatus && a.ActualEnd is { } end
                && quarter.Contains(end)) ? 1 : 0, 1)),
            profiles, Sources(learners.Select(l => l.Child), learners.SelectMany(l => l.Open)));

        // Level 2 English and maths: of the learners with an English or maths aim ending in the quarter.
        var finishing =
            aims.Select(g => (Child: g.Key, Ending: g.Where(a => a.EnglishMaths == true && a.ActualEnd is { } end && quarter.Contains(end))
            .ToList()))
            .Where(l => l.Ending.Count > 0).OrderBy(l => l.Child, StringComparer.Ordinal).ToList();
        var level2 = Breakdowns.Build(Level2EnglishMaths,
            finishing.Select(l => new ChildCount(l.Child, l.Ending.Any(a => a.AimLevel == Level2 && a.Outcome == Achieved) ? 1 : 0, 1)),
            profiles, Sources(finishing.Select(l => l.Child), finishing.SelectMany(l => l.Ending)));

        IReadOnlyList<KpiResult> results = [attendance, withdrawn, level2];
        return Task.FromResult(results);
    }

    private static long Minutes(double hours) => (long)Math.Round(hours * 60, MidpointRounding.AwayFromZero);
}
