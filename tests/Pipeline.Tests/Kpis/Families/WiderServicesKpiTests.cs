using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;
using static YouthJustice.Pipeline.Tests.Kpis.Families.CaseFileSet;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// KPI 7 (wider services), quarter 2026-Q2 (1 April – 30 June 2026), worked out by hand.
/// <code>
/// child  order (start → end)                       care status episodes
/// WS-01  YRO 2026-01-10 → 2026-05-10               LOOKED_AFTER 2025-06-01 → 2026-01-09 (ends the day before the start)
///                                                  EARLY_HELP_REFERRAL 2025-12-01 (before the start)
/// WS-02  REFERRAL_ORDER 2026-02-01 → 2026-06-30    CHILD_PROTECTION_PLAN 2026-03-01 → 2026-04-01 (inside the order only)
///                                                  EARLY_HELP_REFERRAL 2026-02-01 (on the start day: after start)
/// WS-03  CUSTODY_DTO 2026-03-01 → 2026-06-15       CHILD_IN_NEED 2026-01-01 → 2026-02-28 (open on the day before custody)
/// WS-04  YRO 2026-01-05 → 2026-04-30               LOOKED_AFTER 2025-01-01 → open; EARLY_HELP_PLAN 2026-04-30 → open
/// WS-05  PREVENTION 2026-01-05 → 2026-05-01        LOOKED_AFTER 2025-01-01 → open            (not counted: prevention)
/// WS-06  YRO 2026-01-12 → 2026-05-05, appeal       CHILD_PROTECTION_PLAN 2025-12-01 → open   (not counted: appeal)
/// WS-07  REFERRAL_ORDER 2026-02-10 → 2026-05-31    EARLY_HELP_REFERRAL 2026-06-15 (after the order ended)
/// </code>
/// Children with an order ending: WS-01, 02, 03, 04, 07 = 5.
/// </summary>
public sealed class WiderServicesKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi7";

    private static string Children => Csv(ChildrenHeader,
        $"WS-01,{Upn(701)},,Ellingham,Noah,2011-02-02,1,WBRI,,Y",
        $"WS-02,{Upn(702)},,Okafor-Brandt,Esme,2010-05-05,2,BAFR,,Y",
        $"WS-03,{Upn(703)},,Vasquez-Thorne,Leo,2009-08-08,1,WOTH,,Y",
        $"WS-04,{Upn(704)},,Pemberton-Iqbal,Aisha,2011-09-09,2,APKN,,Y",
        $"WS-05,{Upn(705)},,Rookwood,Max,2012-03-03,1,WBRI,,Y",
        $"WS-06,{Upn(706)},,Seacombe,Erin,2011-04-04,2,WBRI,,Y",
        $"WS-07,{Upn(707)},,Tollemache,Kit,2010-06-06,9,NOBT,,Y");

    private static string Interventions => Csv(InterventionsHeader,
        "WS-01,I-01,YRO,2026-01-08,2026-01-10,2026-05-10,N,",
        "WS-02,I-02,REFERRAL_ORDER,2026-01-29,2026-02-01,2026-06-30,N,",
        "WS-03,I-03,CUSTODY_DTO,2026-03-01,2026-03-01,2026-06-15,N,",
        "WS-04,I-04,YRO,2026-01-02,2026-01-05,2026-04-30,N,",
        "WS-05,I-05,PREVENTION,2026-01-05,2026-01-05,2026-05-01,N,",
        "WS-06,I-06,YRO,2026-01-10,2026-01-12,2026-05-05,Y,",
        "WS-07,I-07,REFERRAL_ORDER,2026-02-06,2026-02-10,2026-05-31,N,");

    private static string CareStatus => Csv(CareStatusHeader,
        "WS-01,LOOKED_AFTER,2025-06-01,2026-01-09",
        "WS-01,EARLY_HELP_REFERRAL,2025-12-01,2025-12-01",
        "WS-02,CHILD_PROTECTION_PLAN,2026-03-01,2026-04-01",
        "WS-02,EARLY_HELP_REFERRAL,2026-02-01,2026-02-01",
        "WS-03,CHILD_IN_NEED,2026-01-01,2026-02-28",
        "WS-04,LOOKED_AFTER,2025-01-01,",
        "WS-04,EARLY_HELP_PLAN,2026-04-30,",
        "WS-05,LOOKED_AFTER,2025-01-01,",
        "WS-06,CHILD_PROTECTION_PLAN,2025-12-01,",
        "WS-07,EARLY_HELP_REFERRAL,2026-06-15,2026-06-15");

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = await SendAsync(Fixture, Yot, ("yot-children", Children), ("yot-interventions", Interventions),
            ("yot-care-status", CareStatus));
        return (await ComputeAsync(Yot, "2026-Q2"), receipts);
    }

    [Fact]
    public void Every_row_is_accepted() =>
        Assert.All(Receipts.Values, r => Assert.Equal((0L, r.Rows.Read), (r.Rows.Rejected, r.Rows.Accepted)));

    [Fact]
    public void During_the_order_an_episode_ending_the_day_before_the_start_does_not_count()
    {
        // WS-01: looked after until 2026-01-09, order from 2026-01-10 → 0 (a referral is not a plan).
        // WS-02: CPP 2026-03-01..04-01 inside 2026-02-01..06-30 → 1.
        // WS-03: CIN until 2026-02-28, custody from 2026-03-01 → 0.
        // WS-04: looked after throughout → 1.   WS-07: only a referral → 0.
        // 2 of 5 (WS-05 and WS-06 would make it 4 of 7).
        var k = Kpi("kpi7-wider-services");
        Assert.Equal((2, 5), Figures(k));
        Assert.Equal(0.4, k.Value!.Value, 10);
        // Looked after during the order: WS-04 → "Looked after" 1/1; the rest 1/4 (WS-02).
        Assert.Equal([("Looked after", 1L, 1L), ("Not looked after", 1L, 4L)], GroupFigures(k, "looked-after"));
    }

    [Fact]
    public void At_start_custody_is_judged_on_the_day_before()
    {
        // WS-01 (2026-01-10): LA ended 2026-01-09 → 0.  WS-02 (2026-02-01): CPP from 2026-03-01 → 0.
        // WS-03 custody from 2026-03-01, judged on 2026-02-28: CIN open that day → 1.
        // WS-04 (2026-01-05): looked after → 1.  WS-07: none → 0.   2 of 5.
        Assert.Equal((2, 5), Figures(Kpi("kpi7-wider-services-start")));
    }

    [Fact]
    public void At_end()
    {
        // WS-02 CPP ended 2026-04-01, before 2026-06-30 → 0.  WS-04 (2026-04-30): LA open, Early Help plan starting that day → 1.
        Assert.Equal((1, 5), Figures(Kpi("kpi7-wider-services-end")));
    }

    [Fact]
    public void Per_status_during_the_order()
    {
        Assert.Equal((1, 5), Figures(Kpi("kpi7-wider-services-looked-after")));     // WS-04 (not WS-01's, ended the day before)
        Assert.Equal((1, 5), Figures(Kpi("kpi7-wider-services-cpp")));              // WS-02
        Assert.Equal((0, 5), Figures(Kpi("kpi7-wider-services-cin")));              // WS-03's ended before custody began
        Assert.Equal((1, 5), Figures(Kpi("kpi7-wider-services-early-help-plan")));  // WS-04, from the end day
    }

    [Fact]
    public void Early_help_referral_before_versus_after_the_start()
    {
        // Before: WS-01 (2025-12-01 < 2026-01-10).  On or after the start, by the end: WS-02 (on 2026-02-01, the start day).
        // WS-07's referral of 2026-06-15 came after its order ended on 2026-05-31: neither.
        Assert.Equal((1, 5), Figures(Kpi("kpi7-wider-services-early-help-referral-before-start")));
        Assert.Equal((1, 5), Figures(Kpi("kpi7-wider-services-early-help-referral-after-start")));
    }

    [Fact]
    public void Results_name_the_children_interventions_and_care_status_drops()
    {
        var expected = new[] { "yot-children", "yot-interventions", "yot-care-status" }.Select(t => Receipts[t].DropId)
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, Kpi("kpi7-wider-services").SourceDrops);
    }
}
