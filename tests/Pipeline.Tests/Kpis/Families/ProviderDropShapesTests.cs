using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// Drops as providers really send them, 2026-Q2, worked out by hand: a roll file holding two snapshot dates, off-roll
/// reasons in a school's own words, exclusion and withdrawal reasons outside the published lists, and a board meeting
/// where one sector had two partners. Each used to lose rows at the gate and so move a figure.
/// <code>
/// child  roll (school 300001)                                                       caseload
/// PS-1   20 Apr: on a part-time timetable (from 1 Apr, ends 1 May, reviewed 15 Apr)  YRO 2026-01-10, open
///        15 Jun: on roll, no timetable
/// PS-2   20 Apr: on roll, no timetable                                              YRO 2026-01-10, open
///        15 Jun: part-time timetable from 1 Jun, no planned end (open-ended); the 15 Jun row sent twice
/// PS-3   15 Jun: off roll 10 May, "MOVED_SCHOOL"                                     YRO 2026-01-10, open
/// PS-4   15 Jun: off roll 12 May, "Permanent exclusion"                              YRO 2026-01-10, open
/// PS-5   15 Jun: off roll 14 May, no reason given (a query)                          YRO 2026-01-10, open
/// </code>
/// Roll measures take each pupil's latest snapshot: ete-part-time-timetable = PS-2 of PS-1, PS-2 on roll on 15 June
/// = 1/2; ete-ptt-open-ended = 1/1. ete-off-roll: PS-3 and PS-5 (PS-4 left by permanent exclusion) of the 5 on roll
/// in the quarter = 2/5. Exclusions: PS-1 suspended 5 May with reason code "OT" (a code the DfE retired; kept and
/// queried) → ete-suspended 1 of the 5 school-age caseload children. College: PS-1 withdrew on 20 May with
/// WithdrawReason 97 (an older ILR code; kept and queried) → ete-college-withdrawn 1/1, hours 24.5 of 30.
/// </summary>
public sealed class ProviderDropShapesTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-drop-shapes";
    private const string School = "school-drop-shapes";
    private const string College = "college-drop-shapes";
    private const string Board = "board-drop-shapes";
    private const string RollHeader =
        "upn,legal_surname,legal_forename,date_of_birth,urn,as_at_date,year_group,on_roll_from,off_roll_date,off_roll_reason,"
        + "sen_provision,ehcp_last_review_date,part_time_timetable,ptt_start_date,ptt_planned_end_date,ptt_hours_per_week," +
            "ptt_last_review_date,alternative_provision";
    private const string EnrolmentHeader =
        "uln,upn,legal_surname,legal_forename,date_of_birth,ukprn,aim_reference,aim_level,english_maths,start_date,"
        + "planned_end_date,actual_end_date,completion_status,outcome,withdraw_reason,period_start,period_end,planned_hours,attended_hours";

    private static readonly string Uln1 = Uln(7);

    private static string Uln(int serial)
    {
        for (var n = serial; ; n += 100)
        {
            var nine = $"66600{n:0000}";
            if (UlnCheck.CheckDigit(nine) is { } check) return nine + check;
        }
    }

    private static string Children => Csv(ChildrenHeader,
        $"PS-1,{Upn(501)},{Uln1},Shapely,Rhys,2012-05-05,1,WBRI,,Y",
        $"PS-2,{Upn(502)},,Formwright,Lily,2012-06-06,2,WBRI,,Y",
        $"PS-3,{Upn(503)},,Drayfield,Omar,2012-07-07,1,AIND,,Y",
        $"PS-4,{Upn(504)},,Kestwick,Ella,2012-08-08,2,WBRI,,Y",
        $"PS-5,{Upn(505)},,Marlowby,Jude,2012-09-09,1,BCRB,,Y");

    private static string Interventions => Csv(InterventionsHeader,
        "PS-1,I-1,YRO,2026-01-08,2026-01-10,,N,", "PS-2,I-2,YRO,2026-01-08,2026-01-10,,N,", "PS-3,I-3,YRO,2026-01-08,2026-01-10,,N,",
        "PS-4,I-4,YRO,2026-01-08,2026-01-10,,N,", "PS-5,I-5,YRO,2026-01-08,2026-01-10,,N,");

    // Two snapshot dates in one file, as a MIS export of the term's census points gives them; PS-2's June row twice.
    private static string Roll => Csv(RollHeader,
        $"{Upn(501)},Shapely,Rhys,2012-05-05,300001,2026-04-20,8,2023-09-01,,,N,,Y,2026-04-01,2026-05-01,15,2026-04-15,N",
        $"{Upn(502)},Formwright,Lily,2012-06-06,300001,2026-04-20,8,2023-09-01,,,N,,N,,,,,N",
        $"{Upn(501)},Shapely,Rhys,2012-05-05,300001,2026-06-15,8,2023-09-01,,,N,,N,,,,,N",
        $"{Upn(502)},Formwright,Lily,2012-06-06,300001,2026-06-15,8,2023-09-01,,,N,,Y,2026-06-01,,15,2026-06-10,N",
        $"{Upn(502)},Formwright,Lily,2012-06-06,300001,2026-06-15,8,2023-09-01,,,N,,Y,2026-06-01,,15,2026-06-10,N",
        $"{Upn(503)},Drayfield,Omar,2012-07-07,300001,2026-06-15,8,2023-09-01,2026-05-10,MOVED_SCHOOL,N,,N,,,,,N",
        $"{Upn(504)},Kestwick,Ella,2012-08-08,300001,2026-06-15,8,2023-09-01,2026-05-12,Permanent exclusion,N,,N,,,,,N",
        $"{Upn(505)},Marlowby,Jude,2012-09-09,300001,2026-06-15,8,2023-09-01,2026-05-14,,N,,N,,,,,N");

    private static string Exclusions => Csv("upn,urn,category,start_date,sessions,reason,end_date",
        $"{Upn(501)},300001,SUSPENSION,2026-05-05,2,OT,2026-05-05");

    private static string Enrolments => Csv(EnrolmentHeader,
        $"{Uln1},,Shapely,Rhys,2012-05-05,10000077,60000077,1,N,2025-09-01,2026-07-15,,1,,,2026-04-01,2026-04-30,15.5,12.5",
        $"{Uln1},,Shapely,Rhys,2012-05-05,10000077,60000077,1,N,2025-09-01,2026-07-15,2026-05-20,3,3,97,2026-05-01,2026-05-31,14.5,12");

    /// <summary>
    /// 14 May: EDUCATION had two partners, a delegate (school) and a senior leader (college); HEALTH two delegates;
    /// POLICE one senior. Headline: EDUCATION, POLICE = 2 of 5. Senior places 2 of 5; delegate only: HEALTH, once
    /// for its two partners = 1 of 5. New partners: the college's, 1 of the 5 partner rows.
    /// </summary>
    private static string BoardRows => Csv("meeting_date,sector,attended,senior,new_partner",
        "2026-05-14,EDUCATION,Y,N,N", "2026-05-14,EDUCATION,true,true,1", "2026-05-14,POLICE,Y,Y,N",
        "2026-05-14,HEALTH,Y,N,N", "2026-05-14,HEALTH,Y,N,N");

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = new Dictionary<string, Receipt>(StringComparer.Ordinal);
        foreach (var (type, receipt) in await CaseFileSet.SendAsync(Fixture, Yot, ("yot-children", Children),
            ("yot-interventions", Interventions)))
            receipts[type] = receipt;
        await Fixture.AddAgreementAsync(Agreement(School, Yot, ["school-roll", "school-exclusions"]));
        await Fixture.AddAgreementAsync(Agreement(College, Yot, ["college-enrolment"], kind: "college"));
        await Fixture.AddAgreementAsync(Agreement(Board, Yot, ["board-attendance"], kind: "board-secretariat"));
        receipts["school-roll"] = await Fixture.IngestAsync(School, "school-roll", Roll);
        receipts["school-exclusions"] = await Fixture.IngestAsync(School, "school-exclusions", Exclusions);
        receipts["college-enrolment"] = await Fixture.IngestAsync(College, "college-enrolment", Enrolments);
        receipts["board-attendance"] = await Fixture.IngestAsync(Board, "board-attendance", BoardRows);
        return (await ComputeAsync(Yot, "2026-Q2"), receipts);
    }

    [Fact]
    public void A_roll_file_with_two_snapshot_dates_is_kept_row_by_row()
    {
        var r = Receipts["school-roll"];
        Assert.Equal(8, r.Rows.Read);
        Assert.Equal(7, r.Rows.Accepted);
        // Only the repeat of PS-2's 15 June row: same pupil, same as_at_date.
        var refused = Assert.Single(r.Errors, e => e.Severity == RuleSeverity.Error);
        Assert.Equal(("pupil-duplicate", (int?)6), (refused.Rule, refused.Line));
    }

    [Fact]
    public void Roll_measures_read_each_pupils_latest_snapshot_of_the_file()
    {
        Assert.Equal((1, 2), Kpi("ete-part-time-timetable").Fraction());
        Assert.Equal((1, 1), Kpi("ete-ptt-open-ended").Fraction());
    }

    [Fact]
    public void An_off_roll_reason_in_the_schools_own_words_is_kept_and_a_missing_one_is_only_queried()
    {
        var r = Receipts["school-roll"];
        Assert.DoesNotContain(r.Errors, e => e.Field == "off_roll_reason" && e.Severity == RuleSeverity.Error);
        var query = Assert.Single(r.Errors, e => e.Rule == "off-roll-reason-missing");
        Assert.Equal((RuleSeverity.Query, (int?)9), (query.Severity, query.Line));
        // PS-3 (MOVED_SCHOOL) and PS-5 (no reason) taken off roll; PS-4's permanent exclusion is not; 5 on roll in Q2.
        Assert.Equal((2, 5), Kpi("ete-off-roll").Fraction());
    }

    [Fact]
    public void Reasons_outside_the_national_lists_are_queried_and_the_event_still_counts()
    {
        var exclusion = Assert.Single(Receipts["school-exclusions"].Errors);
        Assert.Equal(("exclusion-reason-unknown", RuleSeverity.Query), (exclusion.Rule, exclusion.Severity));
        Assert.Equal(1, Receipts["school-exclusions"].Rows.Accepted);
        Assert.Equal((1, 5), Kpi("ete-suspended").Fraction());

        var withdrawal = Assert.Single(Receipts["college-enrolment"].Errors);
        Assert.Equal(("withdraw-reason-unknown", RuleSeverity.Query, (int?)3), (withdrawal.Rule, withdrawal.Severity, withdrawal.Line));
        Assert.Equal(2, Receipts["college-enrolment"].Rows.Accepted);
        Assert.Equal((1, 1), Kpi("ete-college-withdrawn").Fraction());
    }

    [Fact]
    public void Two_partners_of_one_sector_at_a_meeting_are_both_kept_and_the_sector_counted_once()
    {
        var r = Receipts["board-attendance"];
        Assert.Equal((5, 0), (r.Rows.Accepted, r.Rows.Rejected));
        Assert.Equal((2, 5), Kpi("kpi8-board-attendance").Fraction());
        var senior = Kpi("kpi8-board-attendance-senior");
        Assert.Equal((2, 5), senior.Fraction());
        Assert.Contains(("Education", 1L, 1L), senior.Groups("sector"));
        var delegated = Kpi("kpi8-board-attendance-delegated");
        Assert.Equal((1, 5), delegated.Fraction());
        Assert.Contains(("Health", 1L, 1L), delegated.Groups("sector"));
        Assert.Equal((1, 5), Kpi("kpi8-board-attendance-new-partners").Fraction());
    }
}
