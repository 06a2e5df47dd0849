namespace YouthJustice.Pipeline.Kpis.Data;

// The YOT's case data as the KPI engine reads it: one record type per drop type, pseudonyms and generalised values
// only, as the gate left them. Every record knows the drop it came from, so each result can name its sources.

/// <summary>
/// A YOT child. <see cref="DateOfBirth"/> is the one personal value past the gate (the YOT's own record of its own
/// children): the engine only ever turns it into ages and age bands, and no result carries it.
/// </summary>
public sealed record ChildRecord(string ChildId, string? Sex, string? Ethnicity, DateOnly? DateOfBirth, bool LocalResident, string DropId)
{
    /// <summary>Age in completed years on a day; null when no date of birth was sent.</summary>
    public int? AgeOn(DateOnly day) => DateOfBirth is { } dob ? Privacy.Generalise.AgeOn(dob, day) : null;
}

public sealed record InterventionRecord(string ChildId, string InterventionId, string DisposalType, DateOnly LegalOutcomeDate,
    DateOnly Start, DateOnly? End, bool ChangedOnAppeal, bool? OocdCompleted, string DropId);

public sealed record OffenceRecord(string ChildId, string OffenceId, string? InterventionId, DateOnly OffenceDate, DateOnly OutcomeDate,
    string Category, int SeriousnessScore, string OutcomeGroup, string DropId);

/// <summary>
/// A dated record (accommodation, ETE, SEND, care status): open on a day if it started by then and has not ended before it.
/// </summary>
public abstract record Episode(string ChildId, DateOnly Start, DateOnly? End, string DropId)
{
    public bool OpenOn(DateOnly day) => Start <= day && (End is null || End >= day);

    /// <summary>Open on any day from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    public bool OpenDuring(DateOnly from, DateOnly to) => Start <= to && (End is null || End >= from);
}

public sealed record AccommodationRecord(string ChildId, DateOnly Start, DateOnly? End, string Type, string Suitability, string DropId)
    : Episode(ChildId, Start, End, DropId);

public sealed record EteRecord(string ChildId, DateOnly Start, DateOnly? End, string ProvisionType, string Suitability,
    double? HoursOffered, double? HoursAttended, string DropId) : Episode(ChildId, Start, End, DropId);

public sealed record SendRecord(string ChildId, DateOnly Start, DateOnly? End, bool IdentifiedNeed, bool FormalPlan, string? PlanType,
    string DropId)
    : Episode(ChildId, Start, End, DropId);

public sealed record CareStatusRecord(string ChildId, DateOnly Start, DateOnly? End, string Status, string DropId)
    : Episode(ChildId, Start, End, DropId);

public sealed record HealthRecord(string ChildId, string Area, DateOnly? Screened, DateOnly? Referred, DateOnly? Offered,
    DateOnly? AttendedStart, DateOnly? AttendedEnd, string? InterventionType, string DropId);

public sealed record VictimRecord(string ChildId, string OffenceId, string VictimId, string? VictimType, bool ConsentedToContact,
    bool? ViewSought, bool? ProgressRequested, bool? ProgressProvided, bool? SupportRequested, bool? SupportInformationProvided,
    bool? EngagedWithRj, string DropId);

public sealed record BoardAttendanceRecord(DateOnly MeetingDate, string Sector, bool Attended, bool Senior, bool? NewPartner,
    string DropId);

// School and college records, linked to a child at the gate.

public sealed record ExclusionRecord(string ChildId, string Urn, string Category, DateOnly Start, int? Sessions, string Reason,
    DateOnly? End, string DropId);

public sealed record RollRecord(string ChildId, string Urn, DateOnly AsAt, string? YearGroup, DateOnly? OnRollFrom, DateOnly? OffRollDate,
    string? OffRollReason, string SenProvision, DateOnly? EhcpLastReview, bool? PartTimeTimetable, DateOnly? PttStart,
    DateOnly? PttPlannedEnd, double? PttHoursPerWeek, DateOnly? PttLastReview, bool? AlternativeProvision, string DropId);

public sealed record EnrolmentRecord(string ChildId, string Ukprn, string AimReference, string AimLevel, bool? EnglishMaths, DateOnly Start,
    DateOnly PlannedEnd, DateOnly? ActualEnd, string? CompletionStatus, string? Outcome, string? WithdrawReason, DateOnly PeriodStart,
    DateOnly PeriodEnd, double PlannedHours, double AttendedHours, string DropId);
