namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// The drop types KPIs are computed from, by the names of their schemas in <c>schemas/drops</c> (a test checks that each
/// KPI's sources are among them), for <see cref="KpiDefinition.Sources"/>.
/// </summary>
public static class DropTypes
{
    public const string YotChildren = "yot-children";
    public const string YotInterventions = "yot-interventions";
    public const string YotOffences = "yot-offences";
    public const string YotAccommodation = "yot-accommodation";
    public const string YotEte = "yot-ete";
    public const string YotSend = "yot-send";
    public const string YotHealth = "yot-health";
    public const string YotCareStatus = "yot-care-status";
    public const string YotVictims = "yot-victims";
    public const string BoardAttendance = "board-attendance";
    public const string SchoolAttendance = "school-attendance";
    public const string SchoolExclusions = "school-exclusions";
    public const string SchoolRoll = "school-roll";
    public const string CollegeEnrolment = "college-enrolment";

    /// <summary>
    /// The caseload: the YOT's children and their orders. Every measure about children counts them (who is on an order,
    /// with what profile), so each such measure names these two before its own.
    /// </summary>
    public static IReadOnlyList<string> Caseload { get; } = [YotChildren, YotInterventions];

    /// <summary>The caseload and <paramref name="own"/>: the sources of a measure about the YOT's children.</summary>
    public static IReadOnlyList<string> CaseloadAnd(params string[] own) => [.. Caseload, .. own];
}
