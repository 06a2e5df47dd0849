using YouthJustice.Pipeline.Kpis.Data;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPI 8, management board attendance (docs/kpis.md §2): of the five statutory sectors, how many had a senior attendee at
/// one or more board meetings in the quarter. A sector that only ever sent a delegate (attended Y, senior N) is not
/// counted: the KPI asks whether someone able to commit the sector's resources was in the room.
/// <para>
/// A row is one partner at one meeting, and a sector may have several partners at a meeting (a school and a college for
/// education, two health trusts): the sector is represented at a meeting by all its partners together — senior if any
/// of them attended and was senior, by a delegate only if some attended and none was senior.
/// </para>
/// <para>
/// Sub-measures ("senior vs delegated by sector"): sector-meetings with senior attendance, and with a delegate only,
/// each ÷ the statutory sectors' places at the quarter's meetings, broken down by sector (a sector's group: its meetings
/// with senior / delegate-only attendance ÷ the meetings held). A meeting is a <c>meeting_date</c> any row names; a
/// sector with no row for a meeting did not attend it. New partners: rows (partners at a meeting, any sector, OTHER
/// included) marked as new ÷ rows at the quarter's meetings; the drop names no partner, so a partner at two meetings
/// is two rows.
/// </para>
/// </summary>
public sealed class BoardAttendanceKpi : IKpiFamily
{
    public const string Id = "kpi8-board-attendance";
    public const string Senior = Id + "-senior";
    public const string Delegated = Id + "-delegated";
    public const string NewPartners = Id + "-new-partners";
    public const string Sector = "sector";

    /// <summary>The five statutory sectors (§2) and their names as a board reads them, in the order they are shown.</summary>
    public static IReadOnlyList<(string Code, string Name)> StatutorySectors { get; } =
    [
        ("CHILDRENS_SOCIAL_CARE", "Children's social care"), ("EDUCATION", "Education"), ("POLICE", "Police"),
        ("PROBATION", "Probation"), ("HEALTH", "Health"),
    ];

    /// <summary>A statutory sector's place at one meeting (a sector group's denominator is the meetings held).</summary>
    private static readonly KpiUnits Places = new("sector places at meetings", "sector places at meetings");

    /// <summary>About the board's meetings, not children: the caseload does not feed it.</summary>
    private static readonly IReadOnlyList<string> From = [DropTypes.BoardAttendance];

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 800, "Board attendance: statutory sectors with a senior attendee at a board meeting (of 5)",
            Units: new("sectors", "statutory sectors")) { Sources = From },
        new(Senior, 801, "Board places taken by a senior attendee, by sector", Headline: false, Parent: Id,
            Units: Places) { Sources = From },
        new(Delegated, 802, "Board places taken by a delegate only, by sector", Headline: false, Parent: Id,
            Units: Places) { Sources = From },
        new(NewPartners, 803, "New partners at the board's meetings", Headline: false, Parent: Id,
            Units: new("partners at a meeting", "partners at a meeting")) { Sources = From },
    ];

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var rows = context.Data.BoardAttendance.Where(r => context.Quarter.Contains(r.MeetingDate)).ToList();
        var meetings = rows.Select(r => r.MeetingDate).Distinct().Count();
        var statutory = rows.Where(r => StatutorySectors.Any(s => s.Code == r.Sector)).ToList();
        var sources = statutory.Select(r => r.DropId).ToList();

        // Senior counts only where the partner attended: "senior = Y, attended = N" is a query at the gate, not attendance.
        static bool SeniorPresent(BoardAttendanceRecord r) => r is { Attended: true, Senior: true };
        static bool AnySenior(IReadOnlyList<BoardAttendanceRecord> partners) => partners.Any(SeniorPresent);
        static bool DelegateOnly(IReadOnlyList<BoardAttendanceRecord> partners) =>
            partners.Any(r => r.Attended) && !partners.Any(SeniorPresent);

        var headline = Breakdowns.Plain(Id, StatutorySectors.Count(s => statutory.Any(r => r.Sector == s.Code && SeniorPresent(r))),
            StatutorySectors.Count, sources);

        var places = (long)meetings * StatutorySectors.Count;
        var senior = BySector(Senior, statutory, AnySenior, meetings, places, sources);
        var delegated = BySector(Delegated, statutory, DelegateOnly, meetings, places, sources);

        var fresh = Breakdowns.Plain(NewPartners, rows.Count(r => r.NewPartner == true), rows.Count, rows.Select(r => r.DropId));

        return Task.FromResult<IReadOnlyList<KpiResult>>([headline, senior, delegated, fresh]);
    }

    /// <param name="counts">Whether a sector's rows at one meeting (its partners there) count.</param>
    private static KpiResult BySector(string id, List<BoardAttendanceRecord> rows, Func<IReadOnlyList<BoardAttendanceRecord>, bool> counts,
        int meetings,
        long places, IEnumerable<string> sources)
    {
        var groups = StatutorySectors.Select(s => new KpiGroup
        {
            Group = s.Name,
            Numerator = rows.Where(r => r.Sector == s.Code).GroupBy(r => r.MeetingDate).Count(m => counts([.. m])),
            Denominator = meetings,
        }).ToList();
        return Breakdowns.Plain(id, groups.Sum(g => g.Numerator), places, sources) with
        {
            Breakdowns = new SortedDictionary<string, IReadOnlyList<KpiGroup>>(StringComparer.Ordinal) { [Sector] = groups },
        };
    }
}
