using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// Worked example for the ETE board measures that come from school and college drops (docs/kpis.md §3, and the C2 count of
/// §4), 2026-Q2 = 1 April – 30 June 2026. School age is judged on the quarter's first day: under 16 on 31 August 2025,
/// i.e. born 1 September 2009 or later (born months are shown; the files give the day).
/// <code>
///      born     order                         caseload  school age   notes
/// E1   2012-03  RO from 2026-01-10, open       yes       yes          2 suspensions in Q2; PTT no planned end; EHCP reviewed exactly 12
///     months before
/// E2   2011-06  YRO 2026-02-01 – 2026-05-15    yes       yes          suspension from 31 March (day before Q2); permanent exclusion 11
///     May; off roll 20 May PERMANENTLY_EXCLUDED
/// E3   2009-08  YRO from 2026-01-15, open      yes       no (16)      suspended in Q2 (sixth form); March PTT superseded; college:
///     withdrew, achieved L2 maths
/// E4   2010-10  caution to 2026-04-02          yes       yes          PTT reviewed 43 days before; EHCP reviewed 12 months + 1 day before;
///     excluded 1 July (Q3)
/// E5   2009-09  RO from 2026-01-22, open       yes       yes (15)     PTT exactly 42 days old and reviewed exactly 42 days before; dual
///     registered at AP
/// E6   2012-01  RO from 2025-10-03, open       yes       yes          suspended on 1 April; off roll 5 May TRANSFERRED
/// E7   2008-12  YRO from 2026-02-12, open      yes       no           college: L2 English not achieved, E3 maths achieved, an aim
///     withdrawn in March
/// E8   2012-06  RO from 2026-03-03, open       yes       yes          at AP: PTT running 43 days; EHCP, no review date
/// E9   2011-02  RO from 2026-01-06, open       yes       yes          off roll 20 Feb (before Q2), MOVED_AWAY
/// X1   2011-04  PREVENTION only                no        —            everything: suspension, exclusion, PTT, EHCP, off roll, C2 marks,
///     college
/// UPN 199: not known to the YOT at all (its rows never get past the gate).
/// </code>
/// School 1 sends rolls as at 2 March, 1 June and 6 July 2026; the alternative provider (school 2) as at 15 June.
/// </summary>
public sealed class EteBoardMeasuresTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-ete-board";
    private const string YotProvider = "yot-ete-board-case";
    private const string School1 = "school-ete-board-1";
    private const string School2 = "school-ete-board-2";
    private const string College = "college-ete-board";
    private const string RollHeader =
        "upn,legal_surname,legal_forename,date_of_birth,urn,as_at_date,year_group,on_roll_from,off_roll_date,off_roll_reason,"
        + "sen_provision,ehcp_last_review_date,part_time_timetable,ptt_start_date,ptt_planned_end_date,ptt_hours_per_week," +
            "ptt_last_review_date,alternative_provision";
    private const string ExclusionsHeader = "upn,urn,category,start_date,sessions,reason,end_date";
    private const string EnrolmentHeader =
        "uln,upn,legal_surname,legal_forename,date_of_birth,ukprn,aim_reference,aim_level,english_maths,start_date,"
        + "planned_end_date,actual_end_date,completion_status,outcome,withdraw_reason,period_start,period_end,planned_hours,attended_hours";

    private static readonly string UlnE3 = Uln(1), UlnE7 = Uln(2), UlnX1 = Uln(3);

    private KpiSet _q3 = null!;

    /// <summary>A valid ULN: nine digits and the ILR check digit.</summary>
    private static string Uln(int serial)
    {
        for (var n = serial; ; n += 100)
        {
            var nine = $"55500{n:0000}";
            if (UlnCheck.CheckDigit(nine) is { } check) return nine + check;
        }
    }

    private static string Children => Csv(ChildrenHeader,
        $"ETE-0001,{Upn(101)},,Ashdown,Leo,2012-03-10,1,WBRI,,Y",
        $"ETE-0002,{Upn(102)},,Birchall,Nia,2011-06-05,2,MWBC,,Y",
        $"ETE-0003,{Upn(103)},{UlnE3},Calloway,Dev,2009-08-14,1,BCRB,,Y",
        $"ETE-0004,{Upn(104)},,Dunmore,Isla,2010-10-02,2,WBRI,,Y",
        $"ETE-0005,{Upn(105)},,Esterby,Ravi,2009-09-21,1,AIND,,Y",
        $"ETE-0006,{Upn(106)},,Fallowfield,Kai,2012-01-30,1,WBRI,,Y",
        $"ETE-0007,,{UlnE7},Gatherley,Zoe,2008-12-03,2,WBRI,,Y",
        $"ETE-0008,{Upn(108)},,Hollinshead,Amara,2012-06-11,2,MWBA,,Y",
        $"ETE-0009,{Upn(109)},,Ingleby,Tom,2011-02-14,1,WBRI,,Y",
        $"ETE-0010,{Upn(110)},{UlnX1},Jessamy,Finn,2011-04-04,1,WBRI,,Y");

    private static string Interventions => Csv(InterventionsHeader,
        "ETE-0001,EI-1,REFERRAL_ORDER,2026-01-08,2026-01-10,,N,",
        "ETE-0002,EI-2,YRO,2026-01-30,2026-02-01,2026-05-15,N,",
        "ETE-0003,EI-3,YRO,2026-01-13,2026-01-15,,N,",
        "ETE-0004,EI-4,YOUTH_CAUTION,2025-11-28,2025-12-01,2026-04-02,N,Y",
        "ETE-0005,EI-5,REFERRAL_ORDER,2026-01-20,2026-01-22,,N,",
        "ETE-0006,EI-6,REFERRAL_ORDER,2025-10-01,2025-10-03,,N,",
        "ETE-0007,EI-7,YRO,2026-02-10,2026-02-12,,N,",
        "ETE-0008,EI-8,REFERRAL_ORDER,2026-03-01,2026-03-03,,N,",
        "ETE-0009,EI-9,REFERRAL_ORDER,2026-01-05,2026-01-06,,N,",
        "ETE-0010,EI-10,PREVENTION,2026-01-05,2026-01-06,,N,");

    private static string School1Exclusions => Csv(ExclusionsHeader,
        $"{Upn(101)},200001,SUSPENSION,2026-04-20,4,DB,2026-04-21",
        $"{Upn(101)},200001,SUSPENSION,2026-05-11,2,VA,2026-05-11",
        $"{Upn(102)},200001,SUSPENSION,2026-03-31,4,DB,2026-04-01",
        $"{Upn(102)},200001,PERMANENT,2026-05-11,,PA,",
        $"{Upn(103)},200001,SUSPENSION,2026-05-04,2,VP,2026-05-04",
        $"{Upn(104)},200001,PERMANENT,2026-07-01,,PP,",
        $"{Upn(105)},200001,SUSPENSION,2026-07-06,2,DB,2026-07-06",
        $"{Upn(110)},200001,SUSPENSION,2026-04-22,2,DB,2026-04-22",
        $"{Upn(110)},200001,PERMANENT,2026-05-01,,PA,",
        $"{Upn(199)},200001,SUSPENSION,2026-04-22,2,DB,2026-04-22");

    private static string School2Exclusions => Csv(ExclusionsHeader,
        $"{Upn(106)},200002,SUSPENSION,2026-04-01,2,DA,2026-04-01");

    private static string Roll(string asAt, params string[] rows) => Csv([RollHeader, .. rows]);

    // upn, surname, forename, dob, urn, as_at, year, on_roll_from, off_roll_date, off_roll_reason, sen, ehcp_review, ptt, ptt_start,
    // ptt_end, ptt_hours, ptt_review, ap
    private static string School1March => Roll("2026-03-02",
        $"{Upn(101)},Ashdown,Leo,2012-03-10,200001,2026-03-02,8,2022-09-01,,,K,,N,,,,,N",
        $"{Upn(103)},Calloway,Dev,2009-08-14,200001,2026-03-02,12,2020-09-01,,,N,,Y,2026-01-12,,10,2026-02-20,N",
        $"{Upn(109)},Ingleby,Tom,2011-02-14,200001,2026-03-02,10,2022-09-01,2026-02-20,MOVED_AWAY,N,,N,,,,,N");

    private static string School1June => Roll("2026-06-01",
        $"{Upn(101)},Ashdown,Leo,2012-03-10,200001,2026-06-01,8,2022-09-01,,,E,2025-06-01,Y,2026-05-20,,15,2026-05-25,N",
        $"{Upn(102)},Birchall,Nia,2011-06-05,200001,2026-06-01,9,2022-09-01,2026-05-20,PERMANENTLY_EXCLUDED,K,,N,,,,,N",
        $"{Upn(103)},Calloway,Dev,2009-08-14,200001,2026-06-01,12,2020-09-01,,,N,,N,,,,,N",
        $"{Upn(104)},Dunmore,Isla,2010-10-02,200001,2026-06-01,10,2021-09-01,,,E,2025-05-31,Y,2026-04-27,2026-07-17,12,2026-04-19,N",
        $"{Upn(105)},Esterby,Ravi,2009-09-21,200001,2026-06-01,11,2020-09-01,,,N,,Y,2026-04-20,2026-06-19,20,2026-04-20,N",
        $"{Upn(110)},Jessamy,Finn,2011-04-04,200001,2026-06-01,10,2022-09-01,2026-05-12,OTHER,E,,Y,2026-01-05,,10,,N",
        $"{Upn(199)},Stranger,Pat,2011-05-05,200001,2026-06-01,10,2022-09-01,,,E,,Y,2026-01-05,,10,,N");

    private static string School1July => Roll("2026-07-06",
        $"{Upn(101)},Ashdown,Leo,2012-03-10,200001,2026-07-06,8,2022-09-01,2026-07-03,ELECTIVE_HOME_EDUCATION,E,2025-06-01,N,,,,,N",
        $"{Upn(104)},Dunmore,Isla,2010-10-02,200001,2026-07-06,10,2021-09-01,,,E,2026-06-20,N,,,,,N");

    private static string School2June => Roll("2026-06-15",
        $"{Upn(105)},Esterby,Ravi,2009-09-21,200002,2026-06-15,11,2026-01-05,,,N,,N,,,,,Y",
        $"{Upn(106)},Fallowfield,Kai,2012-01-30,200002,2026-06-15,8,2024-09-02,2026-05-05,TRANSFERRED,N,,N,,,,,N",
        $"{Upn(108)},Hollinshead,Amara,2012-06-11,200002,2026-06-15,8,2026-03-09,,,E,,Y,2026-05-03,2026-07-17,15,2026-06-10,Y");

    // E4: '/','/', 4 × C2, '/','/', '#' (not possible), 'N' → 9 possible, 4 C2. E5: C2, C2, '/', '/' → 4 possible, 2 C2. X1: 4 × C2 (not
    // caseload).
    private static string School1Attendance => Csv(
        [AttendanceHeader,
        .. Marks(Upn(104), "Dunmore", "2010-10-02", "200001", new DateOnly(2026, 4, 20), "/", "/", "C2", "C2", "C2", "C2", "/", "/", "#",
            "N"),
        .. Marks(Upn(105), "Esterby", "2009-09-21", "200001", new DateOnly(2026, 4, 20), "C2", "C2", "/", "/"),
        .. Marks(Upn(110), "Jessamy", "2011-04-04", "200001", new DateOnly(2026, 4, 20), "C2", "C2", "C2", "C2")]);

    // uln, upn, surname, forename, dob, ukprn, aim, level, english_maths, start, planned_end, actual_end, status, outcome, withdraw,
    // period_start, period_end, planned, attended
    private static string Enrolments => Csv(EnrolmentHeader,
        // E3, aim 1: GCSE maths (level 2), achieved; March period before Q2, status read from its June period.
        $"{UlnE3},,Calloway,Dev,2009-08-14,10000001,60000001,2,Y,2025-09-01,2026-06-30,,1,,,2026-03-01,2026-03-31,20,20",
        $"{UlnE3},,Calloway,Dev,2009-08-14,10000001,60000001,2,Y,2025-09-01,2026-06-30,,1,,,2026-04-01,2026-04-30,20,15",
        $"{UlnE3},,Calloway,Dev,2009-08-14,10000001,60000001,2,Y,2025-09-01,2026-06-30,,1,,,2026-05-01,2026-05-31,20,17.5",
        $"{UlnE3},,Calloway,Dev,2009-08-14,10000001,60000001,2,Y,2025-09-01,2026-06-30,2026-06-20,2,1,,2026-06-01,2026-06-30,10,8",
        // E3, aim 2: level 1 vocational, withdrawn 29 May.
        $"{UlnE3},,Calloway,Dev,2009-08-14,10000001,50000002,1,N,2025-09-01,2026-07-15,,1,,,2026-04-01,2026-04-30,30,10",
        $"{UlnE3},,Calloway,Dev,2009-08-14,10000001,50000002,1,N,2025-09-01,2026-07-15,2026-05-29,3,3,44,2026-05-01,2026-05-31,30,5",
        // E7: level 2 English not achieved; Entry 3 maths achieved; a level 1 aim withdrawn 20 March (before Q2).
        $"{UlnE7},,Gatherley,Zoe,2008-12-03,10000001,60000003,2,Y,2025-09-01,2026-06-30,,1,,,2026-04-01,2026-04-30,12.5,12.5",
        $"{UlnE7},,Gatherley,Zoe,2008-12-03,10000001,60000003,2,Y,2025-09-01,2026-06-30,2026-06-10,2,3,,2026-06-01,2026-06-30,5,0",
        $"{UlnE7},,Gatherley,Zoe,2008-12-03,10000001,60000004,E3,Y,2025-09-01,2026-06-30,2026-06-12,2,1,,2026-06-01,2026-06-30,8,6",
        $"{UlnE7},,Gatherley,Zoe,2008-12-03,10000001,50000009,1,N,2025-09-01,2026-07-15,2026-03-20,3,3,43,2026-03-01,2026-03-31,10,2",
        // X1 (prevention only): withdrawn and an achieved level 2 maths aim in Q2 — never counted.
        $"{UlnX1},{Upn(110)},Jessamy,Finn,2011-04-04,10000001,60000005,2,Y,2025-09-01,2026-06-30,2026-06-15,2,1,,2026-06-01,2026-06-30," +
            $"50,10",
        $"{UlnX1},{Upn(110)},Jessamy,Finn,2011-04-04,10000001,50000006,1,N,2025-09-01,2026-07-15,2026-05-15,3,3,44,2026-05-01,2026-05-31," +
            $"50,10");

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = new Dictionary<string, Receipt>(StringComparer.Ordinal);
        await Fixture.AddAgreementAsync(Agreement(YotProvider, Yot, ["yot-children", "yot-interventions"], kind: "yot"));
        await Fixture.AddAgreementAsync(Agreement(School1, Yot, ["school-exclusions", "school-roll", "school-attendance"]));
        await Fixture.AddAgreementAsync(Agreement(School2, Yot, ["school-exclusions", "school-roll"]));
        await Fixture.AddAgreementAsync(Agreement(College, Yot, ["college-enrolment"], kind: "college"));
        receipts["children"] = await Fixture.IngestAsync(YotProvider, "yot-children", Children);
        receipts["interventions"] = await Fixture.IngestAsync(YotProvider, "yot-interventions", Interventions);
        receipts["exclusions1"] = await Fixture.IngestAsync(School1, "school-exclusions", School1Exclusions);
        receipts["exclusions2"] = await Fixture.IngestAsync(School2, "school-exclusions", School2Exclusions);
        receipts["roll1-march"] = await Fixture.IngestAsync(School1, "school-roll", School1March, "roll-march.csv");
        receipts["roll1-june"] = await Fixture.IngestAsync(School1, "school-roll", School1June, "roll-june.csv");
        receipts["roll1-july"] = await Fixture.IngestAsync(School1, "school-roll", School1July, "roll-july.csv");
        receipts["roll2-june"] = await Fixture.IngestAsync(School2, "school-roll", School2June);
        receipts["attendance1"] = await Fixture.IngestAsync(School1, "school-attendance", School1Attendance);
        receipts["college"] = await Fixture.IngestAsync(College, "college-enrolment", Enrolments);
        _q3 = await ComputeAsync(Yot, "2026-Q3");
        return (await ComputeAsync(Yot, "2026-Q2"), receipts);
    }

    private string Drop(string name) => Receipts[name].DropId;

    /// <summary>The drop ids of the named files, in the order results list them.</summary>
    private List<string> Drops(params string[] names) => [.. names.Select(Drop).Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_file_is_accepted_whole()
    {
        Assert.All(Receipts.Values, r => Assert.Equal(0, r.Rows.Rejected));
        // UPN 199 is not known to the YOT: its exclusion and roll rows are out of cohort.
        Assert.Equal(1, Receipts["exclusions1"].Rows.OutOfCohort);
        Assert.Equal(1, Receipts["roll1-june"].Rows.OutOfCohort);
    }

    [Fact]
    public void Suspended_counts_school_age_children_with_a_suspension_starting_in_the_quarter()
    {
        // School age on 1 April 2026 (under 16 on 31 Aug 2025): E1, E2, E4, E5 (born Sept 2009: 15), E6, E8, E9 = 7.
        // Not: E3 (born Aug 2009: 16 on 31 Aug 2025 — his Q2 suspension is not counted), E7 (17), X1 (not caseload).
        // Suspensions starting 1 April – 30 June: E1 (twice: one child), E6 (on 1 April, at school 2).
        // E2's began 31 March (the day before): not counted. E5's is in July. → 2 / 7.
        var k = Kpi(ExclusionMeasuresIds.Suspended);
        Assert.Equal((2L, 7L), (k.Numerator, k.Denominator));
        Assert.Equal(2.0 / 7, k.Value!.Value, 10);
        // By sex: male E1 ✓, E5, E6 ✓, E9 → 2/4; female E2, E4, E8 → 0/3.
        Assert.Equal([("Female", 0L, 3L), ("Male", 2L, 4L)], k.Breakdowns["sex"].Select(g => (g.Group, g.Numerator, g.Denominator)));
        Assert.Equal(Drops("children", "exclusions1", "exclusions2", "interventions"), k.SourceDrops);
    }

    [Fact]
    public void Permanently_excluded_counts_exclusions_starting_in_the_quarter()
    {
        // E2, 11 May → 1 of the same 7. E4's is on 1 July (Q3); X1 is not in the caseload.
        var k = Kpi(ExclusionMeasuresIds.PermanentlyExcluded);
        Assert.Equal((1L, 7L), (k.Numerator, k.Denominator));
    }

    [Fact]
    public void School_age_is_judged_on_the_quarters_first_day()
    {
        // 2026-Q3 (1 July – 30 September). Caseload: E1, E3, E5, E6, E7, E8, E9 (E2's and E4's orders ended in Q2).
        // On 1 July the 31 August before is 2025: E5 (born Sept 2009) is 15 and of school age, though by 30 September
        // (31 Aug 2026: 16) he is not. School age: E1, E5, E6, E8, E9 = 5. Suspended in Q3: E5 (6 July) → 1 / 5.
        // Permanently excluded: E4 (1 July) is no longer in the caseload → 0 / 5.
        var suspended = Assert.Single(_q3.Kpis, k => k.Id == ExclusionMeasuresIds.Suspended);
        Assert.Equal((1L, 5L), (suspended.Numerator, suspended.Denominator));
        var excluded = Assert.Single(_q3.Kpis, k => k.Id == ExclusionMeasuresIds.PermanentlyExcluded);
        Assert.Equal((0L, 5L), (excluded.Numerator, excluded.Denominator));
    }

    [Fact]
    public void Part_time_timetable_uses_each_schools_latest_snapshot_up_to_the_quarters_end()
    {
        // Latest snapshot per school on or before 30 June (the 6 July roll is ignored):
        //   E1 school 1, 1 June: on roll, PTT.            E2 school 1, 1 June: off roll 20 May → not on roll.
        //   E3 school 1, 1 June: on roll, no PTT (March's PTT superseded).
        //   E4 school 1, 1 June: on roll, PTT.            E5 school 1, 1 June: PTT; school 2 (AP), 15 June: no PTT → on a PTT.
        //   E6 school 2: off roll 5 May.                  E8 school 2, 15 June: on roll, PTT.
        //   E9 school 1, 2 March: off roll 20 Feb.        X1 and UPN 199: not caseload.
        // On roll: E1, E3, E4, E5, E8 = 5; on a PTT: E1, E4, E5, E8 = 4 → 4 / 5.
        var k = Kpi(RollMeasuresIds.PartTimeTimetable);
        Assert.Equal((4L, 5L), (k.Numerator, k.Denominator));
        // By sex: male E1 ✓, E3, E5 ✓ → 2/3; female E4 ✓, E8 ✓ → 2/2.
        Assert.Equal([("Female", 2L, 2L), ("Male", 2L, 3L)], k.Breakdowns["sex"].Select(g => (g.Group, g.Numerator, g.Denominator)));
        Assert.DoesNotContain(Drop("roll1-july"), k.SourceDrops);
        Assert.DoesNotContain(Drop("roll1-march"), k.SourceDrops);
    }

    [Fact]
    public void Ptt_open_ended_counts_no_planned_end_over_42_days_or_not_reviewed_in_42_days()
    {
        // E1: no planned end → open-ended.
        // E4: started 27 April (35 days before 1 June), planned end 17 July, reviewed 19 April = 43 days before → open-ended.
        // E5: started 20 April = exactly 42 days before 1 June, reviewed that day (42 days: within the last 42) → not.
        // E8: started 3 May = 43 days before 15 June (running over 6 weeks), reviewed 10 June → open-ended.
        // → 3 / 4.
        var k = Kpi(RollMeasuresIds.PttOpenEnded);
        Assert.Equal((3L, 4L), (k.Numerator, k.Denominator));
        Assert.Equal(Drops("children", "interventions", "roll1-june", "roll2-june"), k.SourceDrops);
    }

    [Fact]
    public void Ehcp_review_is_overdue_when_missing_or_more_than_12_months_before_the_snapshot()
    {
        // On roll with sen_provision E: E1 (reviewed 1 June 2025, exactly 12 months before 1 June 2026 → on time),
        // E4 (31 May 2025, 12 months + 1 day → overdue), E8 (no review date → overdue). X1: not caseload. → 2 / 3.
        var k = Kpi(RollMeasuresIds.EhcpReviewOverdue);
        Assert.Equal((2L, 3L), (k.Numerator, k.Denominator));
    }

    [Fact]
    public void Off_roll_counts_pupils_taken_off_in_the_quarter_other_than_by_permanent_exclusion()
    {
        // On roll on some day of Q2: E1, E2 (until 20 May), E3, E4, E5, E6 (until 5 May), E8 = 7; E9 left 20 Feb.
        // Taken off in Q2: E2 (PERMANENTLY_EXCLUDED: not counted), E6 (TRANSFERRED). E1's home education from
        // 3 July is in Q3; X1 is not caseload. → 1 / 7.
        var k = Kpi(RollMeasuresIds.OffRoll);
        Assert.Equal((1L, 7L), (k.Numerator, k.Denominator));
    }

    [Fact]
    public void Sessions_lost_to_part_time_timetables_count_C2_marks_of_caseload_pupils()
    {
        // E4: 4 C2 of 9 possible; E5: 2 C2 of 4 possible; X1's four C2 marks are not counted. → 6 / 13.
        var k = Kpi("ete-sessions-lost-ptt");
        Assert.Equal((6L, 13L), (k.Numerator, k.Denominator));
        Assert.Equal(6.0 / 13, k.Value!.Value, 10);
        // The attendance rate from the same marks is unchanged by the new measure: E4 4 + E5 2 attended of 13.
        var attendance = Kpi("ete-school-attendance");
        Assert.Equal((6L, 13L), (attendance.Numerator, attendance.Denominator));
    }

    [Fact]
    public void College_attendance_sums_hours_of_periods_starting_in_the_quarter_in_minutes()
    {
        // E3: planned 20 + 20 + 10 + 30 + 30 = 110 h, attended 15 + 17.5 + 8 + 10 + 5 = 55.5 h (March period left out).
        // E7: planned 12.5 + 5 + 8 = 25.5 h, attended 12.5 + 0 + 6 = 18.5 h (March period left out).
        // In minutes: planned (110 + 25.5) × 60 = 8130, attended (55.5 + 18.5) × 60 = 4440. X1 not counted.
        var k = Kpi(CollegeMeasuresIds.Attendance);
        Assert.Equal((4440L, 8130L), (k.Numerator, k.Denominator));
        Assert.Equal(74.0 / 135.5, k.Value!.Value, 10);
    }

    [Fact]
    public void College_withdrawn_counts_learners_withdrawn_in_the_quarter()
    {
        // Aims open in Q2: E3 (both), E7 (60000003, 60000004; 50000009 ended 20 March). → 2 learners.
        // Withdrawn with actual end in Q2: E3 (29 May). E7's withdrawal was in March. X1 not caseload. → 1 / 2.
        var k = Kpi(CollegeMeasuresIds.Withdrawn);
        Assert.Equal((1L, 2L), (k.Numerator, k.Denominator));
        // By ethnicity: E3 Black or Black British 1/1, E7 White 0/1.
        Assert.Equal([("Black or Black British", 1L, 1L), ("White", 0L, 1L)],
            k.Breakdowns["ethnicity"].Select(g => (g.Group, g.Numerator, g.Denominator)));
    }

    [Fact]
    public void Level_2_english_maths_counts_achieved_level_2_aims_of_learners_finishing_one()
    {
        // English or maths aims ending in Q2: E3 (L2 maths, 20 June, achieved), E7 (L2 English, not achieved; Entry 3
        // maths achieved — not level 2). → 1 / 2.
        var k = Kpi(CollegeMeasuresIds.Level2EnglishMaths);
        Assert.Equal((1L, 2L), (k.Numerator, k.Denominator));
        Assert.Equal(Drops("children", "college", "interventions"), k.SourceDrops);
    }
}

// The ids, spelt out here as the contract (docs/kpis.md §3), not read from the engine.
file static class ExclusionMeasuresIds
{
    public const string Suspended = "ete-suspended";
    public const string PermanentlyExcluded = "ete-permanently-excluded";
}

file static class RollMeasuresIds
{
    public const string PartTimeTimetable = "ete-part-time-timetable";
    public const string PttOpenEnded = "ete-ptt-open-ended";
    public const string EhcpReviewOverdue = "ete-ehcp-review-overdue";
    public const string OffRoll = "ete-off-roll";
}

file static class CollegeMeasuresIds
{
    public const string Attendance = "ete-college-attendance";
    public const string Withdrawn = "ete-college-withdrawn";
    public const string Level2EnglishMaths = "ete-l2-english-maths";
}
