using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// The board's school-roll measures (docs/kpis.md §3): part-time timetables, how many are open-ended, overdue EHC plan
/// reviews and pupils taken off roll, for the caseload's pupils (the 2022 ETE thematic inspection asked boards to watch
/// each of them).
/// <para>Which snapshot: for each school, the pupil's <b>latest</b> snapshot with <c>as_at_date</c> on or before the
/// quarter's end (nothing sent after the quarter changes its figures). A pupil on several schools' rolls (dual
/// registration with alternative provision, or a move) is judged on <b>every</b> school's latest snapshot: on roll if
/// any school has them on roll; on a part-time timetable if any school where they are on roll has them on one (and
/// open-ended if any such timetable is); the snapshot with the latest date across schools would hide a mainstream
/// school's timetable behind the alternative provider's more recent roll. An EHC plan is one plan per child, so its
/// review is overdue only when no school where the pupil is on roll reports a review within 12 months of its snapshot.</para>
/// <para>On roll at a snapshot: on roll from that day or earlier (or no date sent) and not taken off roll by it
/// (<c>off_roll_date</c> empty or after <c>as_at_date</c>).</para>
/// <para>A school that stops listing a pupil without sending an off-roll date leaves its last snapshot standing: the
/// roll drop's contract is one row per pupil with leavers dated, and a missing row cannot be told from a partial file.</para>
/// </summary>
public sealed class RollMeasures : IKpiFamily
{
    public const string PartTimeTimetable = "ete-part-time-timetable";
    public const string PttOpenEnded = "ete-ptt-open-ended";
    public const string EhcpReviewOverdue = "ete-ehcp-review-overdue";
    public const string OffRoll = "ete-off-roll";

    /// <summary>
    /// Whether a school's off-roll reason says permanent exclusion (counted by ete-permanently-excluded instead). No
    /// national list exists, so schools send their own words or codes and every value is kept; a reason counts as a
    /// permanent exclusion when, ignoring case, spaces and punctuation, it names one: "PERM…" with "EXCLU…"
    /// (PERMANENTLY_EXCLUDED, PERMANENT_EXCLUSION, "Permanent exclusion", "Perm excluded") or "EXPEL…". Anything else,
    /// an empty reason included, is taken off roll for another reason.
    /// </summary>
    public static bool IsPermanentExclusion(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return false;
        var letters = new string([.. reason.Where(char.IsLetter).Select(char.ToUpperInvariant)]);
        return (letters.Contains("PERM", StringComparison.Ordinal) && letters.Contains("EXCLU", StringComparison.Ordinal))
            || letters.Contains("EXPEL", StringComparison.Ordinal);
    }

    /// <summary>§3: six weeks, "over 42 days at the snapshot"; reviewed "in the last 42 days".</summary>
    public const int PttDays = 42;

    public const string EhcPlan = "E";

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.SchoolRoll);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(PartTimeTimetable, 1205, "Part-time timetables: pupils on roll who are on one") { Sources = From },
        new(PttOpenEnded, 1206, "Part-time timetables open-ended, over 6 weeks or not reviewed in 6 weeks") { Sources = From },
        new(EhcpReviewOverdue, 1207, "EHC plans whose annual review is overdue") { Sources = From },
        new(OffRoll, 1208, "Taken off roll in the quarter, other than by permanent exclusion") { Sources = From },
    ];

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var (quarter, caseload, profiles) = (context.Quarter, context.Caseload, context.CaseloadProfiles);

        // Every caseload pupil's snapshots up to the quarter's end, by pupil; and each school's latest of them.
        var snapshots = context.Data.Roll
            .Where(r => caseload.ContainsKey(r.ChildId) && r.AsAt <= quarter.End)
            .ToLookup(r => r.ChildId, StringComparer.Ordinal);
        var pupils = snapshots.Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var latest = pupils.ToDictionary(p => p, p => LatestPerSchool(snapshots[p]), StringComparer.Ordinal);
        var onRoll = pupils.ToDictionary(p => p, p => latest[p].Where(OnRollAt).ToList(), StringComparer.Ordinal);

        IEnumerable<string> Sources(IEnumerable<string> children, IEnumerable<RollRecord> used) =>
            KpiContext.Sources(children.Select(c => caseload[c])).Concat(used.Select(r => r.DropId));

        // ete-part-time-timetable: of the pupils on roll at their latest snapshot, those on a part-time timetable there.
        var onRollPupils = pupils.Where(p => onRoll[p].Count > 0).ToList();
        var ptts = onRollPupils.ToDictionary(p => p, p => onRoll[p].Where(r => r.PartTimeTimetable == true).ToList(),
            StringComparer.Ordinal);
        var pttResult = Breakdowns.Build(PartTimeTimetable, onRollPupils.Select(p => new ChildCount(p, ptts[p].Count > 0 ? 1 : 0, 1)),
            profiles,
            Sources(onRollPupils, onRollPupils.SelectMany(p => onRoll[p])));

        // ete-ptt-open-ended: of the pupils on a part-time timetable, those with one that is open-ended, over six weeks
        // old or not reviewed in six weeks, each judged at its own snapshot.
        var pttPupils = onRollPupils.Where(p => ptts[p].Count > 0).ToList();
        var openEndedResult = Breakdowns.Build(PttOpenEnded, pttPupils.Select(p => new ChildCount(p, ptts[p].Any(IsOpenEnded) ? 1 : 0, 1)),
            profiles,
            Sources(pttPupils, pttPupils.SelectMany(p => ptts[p])));

        // ete-ehcp-review-overdue: pupils with an EHC plan (sen_provision E) at a school where they are on roll.
        var plans = onRollPupils.ToDictionary(p => p, p => onRoll[p].Where(r => r.SenProvision == EhcPlan).ToList(),
            StringComparer.Ordinal);
        var planPupils = onRollPupils.Where(p => plans[p].Count > 0).ToList();
        var ehcpResult = Breakdowns.Build(EhcpReviewOverdue,
            planPupils.Select(p => new ChildCount(p, plans[p].All(IsReviewOverdue) ? 1 : 0, 1)), profiles,
            Sources(planPupils, planPupils.SelectMany(p => plans[p])));

        // ete-off-roll: numerator from any snapshot (a pupil who left and re-joined the same school in the quarter is
        // dated only on the earlier one); denominator every pupil on roll on some day of the quarter, which includes
        // every pupil taken off roll in it.
        var offRollEvents = pupils.ToDictionary(p => p, p => snapshots[p].Where(r => r.OffRollDate is { } d && quarter.Contains(d))
            .ToList(), StringComparer.Ordinal);
        var takenOff = pupils.ToDictionary(p => p, p => offRollEvents[p].Where(r => !IsPermanentExclusion(r.OffRollReason)).ToList(),
            StringComparer.Ordinal);
        var inQuarter = pupils.ToDictionary(p => p, p => latest[p].Where(r => OnRollDuring(r, quarter)).Concat(offRollEvents[p]).Distinct()
            .ToList(),
            StringComparer.Ordinal);
        var rollPupils = pupils.Where(p => inQuarter[p].Count > 0).ToList();
        var offRollResult = Breakdowns.Build(OffRoll, rollPupils.Select(p => new ChildCount(p, takenOff[p].Count > 0 ? 1 : 0, 1)), profiles,
            Sources(rollPupils, rollPupils.SelectMany(p => inQuarter[p])));

        IReadOnlyList<KpiResult> results = [pttResult, openEndedResult, ehcpResult, offRollResult];
        return Task.FromResult(results);
    }

    /// <summary>For each school, the pupil's snapshot with the latest <c>as_at_date</c> (the data layer already keeps one per school and
    /// date).</summary>
    private static List<RollRecord> LatestPerSchool(IEnumerable<RollRecord> snapshots) =>
        [.. snapshots.GroupBy(r => r.Urn, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.MaxBy(r => r.AsAt)!)];

    /// <summary>On roll on the snapshot's own day: joined by then (or no date) and not yet taken off.</summary>
    public static bool OnRollAt(RollRecord r) =>
        (r.OnRollFrom is null || r.OnRollFrom <= r.AsAt) && (r.OffRollDate is null || r.OffRollDate > r.AsAt);

    /// <summary>On roll on some day of the quarter, as the school's latest snapshot up to its end tells it.</summary>
    private static bool OnRollDuring(RollRecord r, Quarter quarter) =>
        (r.OnRollFrom is null || r.OnRollFrom <= quarter.End) && (r.OffRollDate is null || r.OffRollDate >= quarter.Start);

    /// <summary>
    /// §3: no planned end date, or running more than 6 weeks (over 42 days from its start to the snapshot), or not
    /// reviewed in the last 42 days (no review date, or the review more than 42 days before the snapshot).
    /// </summary>
    public static bool IsOpenEnded(RollRecord r) =>
        r.PttPlannedEnd is null
        || (r.PttStart is { } start && r.AsAt.DayNumber - start.DayNumber > PttDays)
        || r.PttLastReview is not { } review || r.AsAt.DayNumber - review.DayNumber > PttDays;

    /// <summary>§3: the last annual review missing or more than 12 months before the snapshot (exactly 12 months is on time).</summary>
    public static bool IsReviewOverdue(RollRecord r) => r.EhcpLastReview is not { } review || review < r.AsAt.AddMonths(-12);
}
