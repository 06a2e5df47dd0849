using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// The board's attendance measures (docs/kpis.md §3–4): attendance rate, persistent absence (≥ 10%) and severe
/// absence (≥ 50%) of the caseload's pupils. Every mark in the quarter counts; marks from several schools are
/// summed as one pupil; where a school re-sends a session, its latest drop wins. Sessions lost to part-time timetables
/// (code <c>C2</c>) are also a measure of their own (§4): C2 sessions ÷ possible sessions of the same pupils.
/// </summary>
public sealed class AttendanceMeasures : IKpiFamily
{
    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.SchoolAttendance);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(KpiIds.SchoolAttendance, 1200, "School attendance: attended ÷ possible sessions",
            Units: KpiUnits.Sessions("sessions attended")) { Sources = From },
        new(KpiIds.PersistentAbsence, 1201, "Persistent absence: pupils missing 10% or more of sessions") { Sources = From },
        new(KpiIds.SevereAbsence, 1202, "Severe absence: pupils missing 50% or more of sessions") { Sources = From },
        new(SessionsLostPtt, 1213, "Sessions lost to part-time timetables (code C2) ÷ possible sessions",
            Units: KpiUnits.Sessions("sessions lost (C2)")) { Sources = From },
    ];

    public const string SessionsLostPtt = "ete-sessions-lost-ptt";

    /// <summary>§4: the authorised-absence code for a part-time timetable.</summary>
    public const string PartTimeTimetableCode = "C2";

    public async Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken) =>
        (await ComputeAsync(context.Storage, context, AttendanceCodes.Default, cancellationToken)).Results;

    public sealed record PupilSessions(long Possible, long Attended, long PartTimeTimetable = 0)
    {
        public long Absent => Possible - Attended;
    }

    public static async Task<(IReadOnlyList<KpiResult> Results, IReadOnlyList<string> SourceDrops)> ComputeAsync(
        PipelineStorage storage, KpiContext context, AttendanceCodes codes, CancellationToken cancellationToken)
    {
        var (quarter, caseload) = (context.Quarter, context.Caseload);
        var marks = await CuratedTable.ReadAsync(storage.Container(StorageNames.CuratedContainer),
            context.Data.Committed.Of("school-attendance", quarter),
            [CuratedLayout.DropId, CuratedLayout.ReceivedAt, CuratedLayout.ChildId, "urn", "session_date", "session", "attendance_code"],
                cancellationToken);

        // The latest drop's mark per pupil, school, date and session.
        var latest =
            new Dictionary<(string Child, string? Urn, DateOnly Date, string? Session), (string Received, string Drop, string Code)>();
        for (var r = 0; r < marks.RowCount; r++)
        {
            var child = marks.Text(CuratedLayout.ChildId, r)!;
            if (!caseload.ContainsKey(child)) continue;
            var key = (child, marks.Text("urn", r), marks.Date("session_date", r)!.Value, marks.Text("session", r));
            var candidate = (marks.Text(CuratedLayout.ReceivedAt, r)!, marks.Text(CuratedLayout.DropId, r)!,
                marks.Text("attendance_code", r)!);
            if (!latest.TryGetValue(key, out var held) || string.CompareOrdinal(candidate.Item1 + candidate.Item2, held.Received
                + held.Drop) > 0)
                latest[key] = candidate;
        }

        var pupils = new SortedDictionary<string, PupilSessions>(StringComparer.Ordinal);
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, mark) in latest)
        {
            sources.Add(mark.Drop);
            var (possible, attended) = codes.Classify(mark.Code);
            var p = pupils.GetValueOrDefault(key.Child) ?? new PupilSessions(0, 0);
            pupils[key.Child] = new PupilSessions(p.Possible + (possible ? 1 : 0), p.Attended + (attended ? 1 : 0),
                p.PartTimeTimetable + (mark.Code == PartTimeTimetableCode ? 1 : 0));
        }
        var allSources = sources.Concat(KpiContext.Sources(caseload.Values.Where(o => pupils.ContainsKey(o.ChildId))));
        return (Measures(pupils, context.CaseloadProfiles, [.. allSources]), sources.ToList());
    }

    /// <summary>The four measures from per-pupil session counts, with breakdowns.</summary>
    public static IReadOnlyList<KpiResult> Measures(IReadOnlyDictionary<string, PupilSessions> pupils,
        IReadOnlyDictionary<string, ChildProfile> profiles,
        IReadOnlyList<string> sources)
    {
        var withPossible = pupils.Where(p => p.Value.Possible > 0).ToList();
        return
        [
            Breakdowns.Build(KpiIds.SchoolAttendance, withPossible.Select(p => new ChildCount(p.Key, p.Value.Attended, p.Value.Possible)),
                profiles, sources),
            Breakdowns.Build(KpiIds.PersistentAbsence, withPossible.Select(p =>
                new ChildCount(p.Key, p.Value.Absent * 10 >= p.Value.Possible ? 1 : 0, 1)), profiles, sources),
            Breakdowns.Build(KpiIds.SevereAbsence, withPossible.Select(p =>
                new ChildCount(p.Key, p.Value.Absent * 2 >= p.Value.Possible ? 1 : 0, 1)), profiles, sources),
            Breakdowns.Build(SessionsLostPtt, withPossible.Select(p => new ChildCount(p.Key, p.Value.PartTimeTimetable, p.Value.Possible)),
                profiles, sources),
        ];
    }
}
