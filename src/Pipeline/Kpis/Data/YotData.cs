using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis.Data;

/// <summary>
/// Everything the KPI engine reads about one YOT, current as of the latest drops (session marks aside: they are read
/// per quarter by <see cref="AttendanceMeasures"/>). Partners re-send; what counts is decided here, once:
/// <list type="bullet">
/// <item>Records with an identity (a child, an intervention, an offence, a victim, an exclusion, a learning aim period,
/// a roll snapshot): the latest drop's row for that identity.</item>
/// <item>Dated records without one (accommodation, ETE, SEND, health, care status): for each child, the rows of the latest
/// drop that has any for that child. A YOT's extract of a child's history replaces the previous extract.</item>
/// <item>Board attendance (one row per partner, and a sector may send two partners, so rows have no identity): for each
/// meeting, the rows of the latest drop that has any for that meeting.</item>
/// </list>
/// "Latest" is by arrival time, then drop id, then line, so the choice never depends on listing order.
/// </summary>
public sealed class YotData
{
    public required IReadOnlyDictionary<string, ChildRecord> Children { get; init; }
    public required IReadOnlyList<InterventionRecord> Interventions { get; init; }
    public required IReadOnlyList<OffenceRecord> Offences { get; init; }
    public required IReadOnlyList<AccommodationRecord> Accommodation { get; init; }
    public required IReadOnlyList<EteRecord> Ete { get; init; }
    public required IReadOnlyList<SendRecord> Send { get; init; }
    public required IReadOnlyList<HealthRecord> Health { get; init; }
    public required IReadOnlyList<CareStatusRecord> CareStatus { get; init; }
    public required IReadOnlyList<VictimRecord> Victims { get; init; }
    public required IReadOnlyList<BoardAttendanceRecord> BoardAttendance { get; init; }
    public required IReadOnlyList<ExclusionRecord> Exclusions { get; init; }
    public required IReadOnlyList<RollRecord> Roll { get; init; }
    public required IReadOnlyList<EnrolmentRecord> Enrolments { get; init; }

    /// <summary>
    /// The committed curated files these records were read from; per-quarter readers (session marks) pick theirs from it.
    /// </summary>
    public required CommittedCurated Committed { get; init; }

    /// <summary>
    /// Which rows of each drop type are current: the one place the rules above are written, used both to choose from
    /// every extract and to fold new drops into a <see cref="CurrentView"/>.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, Func<CuratedRows, IEnumerable<CuratedRows.Row>>> Rules =
        new Dictionary<string, Func<CuratedRows, IEnumerable<CuratedRows.Row>>>(StringComparer.Ordinal)
        {
            ["yot-children"] = rows => rows.LatestBy(r => r.Child),
            ["yot-interventions"] = rows => rows.LatestBy(r => $"{r.Child}|{r.Text("intervention_id")}"),
            ["yot-offences"] = rows => rows.LatestBy(r => $"{r.Child}|{r.Text("offence_id")}"),
            ["yot-accommodation"] = rows => rows.LatestDropPerChild(),
            ["yot-ete"] = rows => rows.LatestDropPerChild(),
            ["yot-send"] = rows => rows.LatestDropPerChild(),
            ["yot-health"] = rows => rows.LatestDropPerChild(),
            ["yot-care-status"] = rows => rows.LatestDropPerChild(),
            ["yot-victims"] = rows => rows.LatestBy(r => $"{r.Child}|{r.Text("offence_id")}|{r.Text("victim_id")}"),
            ["board-attendance"] = rows => rows.LatestDropPer(r => $"{r.Date("meeting_date"):yyyy-MM-dd}"),
            ["school-exclusions"] = rows => rows.LatestBy(r => $"{r.Child}|{r.Text("urn")}|{r.Text("category")}|{r.Date("start_date")}"),
            ["school-roll"] = rows => rows.LatestBy(r => $"{r.Child}|{r.Text("urn")}|{r.Date("as_at_date")}"),
            ["college-enrolment"] = rows =>
                rows.LatestBy(r => $"{r.Child}|{r.Text("ukprn")}|{r.Text("aim_reference")}|{r.Date("period_start")}"),
        };

    /// <summary>The columns read of each drop type (beside the layout's); a view is stamped with them.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Columns = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["yot-children"] = ["sex", "ethnicity", CuratedLayout.DateOfBirth, "local_resident"],
        ["yot-interventions"] = ["intervention_id", "disposal_type", "legal_outcome_date", "start_date", "end_date", "changed_on_appeal",
            "oocd_completed"],
        ["yot-offences"] = ["offence_id", "intervention_id", "offence_date", "outcome_date", "category", "seriousness_score",
            "outcome_group"],
        ["yot-accommodation"] = ["start_date", "end_date", "accommodation_type", "suitability"],
        ["yot-ete"] = ["start_date", "end_date", "provision_type", "suitability", "hours_offered", "hours_attended"],
        ["yot-send"] = ["start_date", "end_date", "identified_need", "formal_plan", "plan_type"],
        ["yot-health"] = ["area", "date_screened", "date_referred", "date_offered", "date_attended_start", "date_attended_end",
            "intervention_type"],
        ["yot-care-status"] = ["status", "start_date", "end_date"],
        ["yot-victims"] = ["offence_id", "victim_id", "victim_type", "consented_to_contact", "view_sought_before_decision",
            "progress_requested", "progress_provided", "support_requested", "support_information_provided", "engaged_with_rj"],
        ["board-attendance"] = ["meeting_date", "sector", "attended", "senior", "new_partner"],
        ["school-exclusions"] = ["urn", "category", "start_date", "sessions", "reason", "end_date"],
        ["school-roll"] = ["urn", "as_at_date", "year_group", "on_roll_from", "off_roll_date", "off_roll_reason", "sen_provision",
            "ehcp_last_review_date", "part_time_timetable", "ptt_start_date", "ptt_planned_end_date", "ptt_hours_per_week",
                "ptt_last_review_date", "alternative_provision"],
        ["college-enrolment"] = ["ukprn", "aim_reference", "aim_level", "english_maths", "start_date", "planned_end_date",
            "actual_end_date", "completion_status", "outcome", "withdraw_reason", "period_start", "period_end", "planned_hours",
                "attended_hours"],
    };

    /// <summary>A drop type's current view brought up to date with the committed drops: every key version's rows.</summary>
    internal static Task<CuratedRows> CurrentAsync(PipelineStorage storage, string yot, CommittedCurated committed, string dropType,
        CancellationToken cancellationToken) =>
        CurrentView.ReadAsync(storage, yot, dropType, committed.Of(dropType), Columns[dropType], Rules[dropType], cancellationToken);

    /// <param name="currentView">
    /// Read each drop type's <see cref="CurrentView"/> (brought up to date first) rather than every committed extract;
    /// the same rows either way.
    /// </param>
    public static async Task<YotData> LoadAsync(PipelineStorage storage, string yot, CancellationToken cancellationToken,
        bool currentView = true)
    {
        var curated = storage.Container(StorageNames.CuratedContainer);
        // Through the ledger: only committed drops' files count, whatever else sits under the YOT's prefixes.
        var committed = await CommittedCurated.LoadAsync(storage, yot, cancellationToken);
        // One key version only, the one the YOT's latest children drop was pseudonymised under (see README, key rotation).
        string? version = null;
        async Task<IEnumerable<CuratedRows.Row>> Read(string dropType)
        {
            var rows = currentView
                ? await CurrentAsync(storage, yot, committed, dropType, cancellationToken)
                : await CuratedRows.ReadAsync(curated, committed.Of(dropType), Columns[dropType], cancellationToken);
            // The children's rows decide the version; every other drop type is read in it.
            if (dropType == "yot-children") version = rows.LatestKeyVersion();
            return Rules[dropType](rows.InKeyVersion(version));
        }

        var children = await Read("yot-children");
        var interventions = await Read("yot-interventions");
        var offences = await Read("yot-offences");
        var accommodation = await Read("yot-accommodation");
        var ete = await Read("yot-ete");
        var send = await Read("yot-send");
        var health = await Read("yot-health");
        var care = await Read("yot-care-status");
        var victims = await Read("yot-victims");
        var board = await Read("board-attendance");
        var exclusions = await Read("school-exclusions");
        var roll = await Read("school-roll");
        var enrolments = await Read("college-enrolment");

        return new YotData
        {
            Committed = committed,
            Children = children.Select(r => new ChildRecord(r.Child, r.Text("sex"), r.Text("ethnicity"),
                r.Date(CuratedLayout.DateOfBirth), r.Flag("local_resident") == true, r.DropId))
                .ToDictionary(c => c.ChildId, StringComparer.Ordinal),
            Interventions = [.. interventions.Select(r => new InterventionRecord(r.Child,
                r.Text("intervention_id")!, r.Text("disposal_type")!, r.Date("legal_outcome_date")!.Value, r.Date("start_date")!.Value,
                r.Date("end_date"), r.Flag("changed_on_appeal") == true, r.Flag("oocd_completed"), r.DropId))],
            Offences = [.. offences.Select(r => new OffenceRecord(r.Child, r.Text("offence_id")!,
                r.Text("intervention_id"), r.Date("offence_date")!.Value, r.Date("outcome_date")!.Value, r.Text("category")!,
                r.Integer("seriousness_score")!.Value, r.Text("outcome_group")!, r.DropId))],
            Accommodation = [.. accommodation.Select(r => new AccommodationRecord(r.Child, r.Date("start_date")!.Value, r.Date("end_date"),
                r.Text("accommodation_type")!, r.Text("suitability")!, r.DropId))],
            Ete = [.. ete.Select(r => new EteRecord(r.Child, r.Date("start_date")!.Value, r.Date("end_date"), r.Text("provision_type")!,
                r.Text("suitability")!, r.Number("hours_offered"), r.Number("hours_attended"), r.DropId))],
            Send = [.. send.Select(r => new SendRecord(r.Child, r.Date("start_date")!.Value, r.Date("end_date"),
                r.Flag("identified_need") == true, r.Flag("formal_plan") == true, r.Text("plan_type"), r.DropId))],
            Health = [.. health.Select(r => new HealthRecord(r.Child, r.Text("area")!, r.Date("date_screened"), r.Date("date_referred"),
                r.Date("date_offered"), r.Date("date_attended_start"), r.Date("date_attended_end"), r.Text("intervention_type"),
                r.DropId))],
            CareStatus = [.. care.Select(r => new CareStatusRecord(r.Child, r.Date("start_date")!.Value, r.Date("end_date"),
                r.Text("status")!, r.DropId))],
            Victims = [.. victims.Select(r => new VictimRecord(r.Child,
                r.Text("offence_id")!, r.Text("victim_id")!, r.Text("victim_type"), r.Flag("consented_to_contact") == true,
                r.Flag("view_sought_before_decision"),
                r.Flag("progress_requested"), r.Flag("progress_provided"), r.Flag("support_requested"),
                r.Flag("support_information_provided"), r.Flag("engaged_with_rj"), r.DropId))],
            BoardAttendance = [.. board.Select(r => new BoardAttendanceRecord(
                r.Date("meeting_date")!.Value, r.Text("sector")!, r.Flag("attended") == true, r.Flag("senior") == true,
                r.Flag("new_partner"), r.DropId))],
            Exclusions = [.. exclusions.Select(r => new ExclusionRecord(
                r.Child, r.Text("urn")!, r.Text("category")!, r.Date("start_date")!.Value, r.Integer("sessions"), r.Text("reason")!,
                r.Date("end_date"), r.DropId))],
            Roll = [.. roll.Select(r => new RollRecord(r.Child, r.Text("urn")!,
                r.Date("as_at_date")!.Value, r.Text("year_group"), r.Date("on_roll_from"), r.Date("off_roll_date"),
                r.Text("off_roll_reason"),
                r.Text("sen_provision")!, r.Date("ehcp_last_review_date"), r.Flag("part_time_timetable"), r.Date("ptt_start_date"),
                r.Date("ptt_planned_end_date"), r.Number("ptt_hours_per_week"), r.Date("ptt_last_review_date"),
                r.Flag("alternative_provision"), r.DropId))],
            Enrolments = [.. enrolments.Select(r => new EnrolmentRecord(
                r.Child, r.Text("ukprn")!, r.Text("aim_reference")!, r.Text("aim_level")!, r.Flag("english_maths"),
                r.Date("start_date")!.Value,
                r.Date("planned_end_date")!.Value, r.Date("actual_end_date"), r.Text("completion_status"), r.Text("outcome"),
                r.Text("withdraw_reason"),
                r.Date("period_start")!.Value, r.Date("period_end")!.Value, r.Number("planned_hours") ?? 0, r.Number("attended_hours") ?? 0,
                r.DropId))],
        };
    }
}
