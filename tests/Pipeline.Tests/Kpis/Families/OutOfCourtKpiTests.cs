using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;
using static YouthJustice.Pipeline.Tests.Kpis.Families.CaseFileSet;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// KPI 6 (out-of-court programmes completed), quarter 2026-Q2 (1 April – 30 June 2026), worked out by hand.
/// <code>
/// child  programme (start → end), completed                                  in KPI 6?
/// OC-01  YOUTH_CAUTION 2026-02-01 → 2026-05-01, Y                             yes
/// OC-02  COMMUNITY_RESOLUTION 2026-03-01 → 2026-04-20, N                      yes: ended but not completed
/// OC-03  YOUTH_CONDITIONAL_CAUTION 2026-01-15 → 2026-06-30, Y                 yes: the more serious of its two
///        COMMUNITY_RESOLUTION 2026-02-01 → 2026-05-05, N                      no: one programme per child
/// OC-04  NFA_OUTCOME_20_21 2026-01-10 → 2026-03-31, N                         no: ended in Q1
/// OC-05  REFERRAL_ORDER 2026-01-05 → 2026-05-15                               no: a court order (it is in "orders ending", not here)
/// OC-06  YOUTH_CAUTION 2026-01-20 → 2026-05-20, N, changed on appeal          no: appeal
/// OC-07  PREVENTION 2026-01-05 → 2026-05-01                                   no: prevention
/// OC-08  NFA_OUTCOME_22_DEFERRED_PROSECUTION 2026-02-01 → 2026-06-01, N       no: not a local resident
/// OC-09  NFA_OUTCOME_22 2026-01-10 → 2026-04-10, N, born 2007-09              no: aged 18 at start
/// </code>
/// Out-of-court programmes ended: OC-01, OC-02, OC-03 = 3; completed OC-01, OC-03 = 2.
/// </summary>
public sealed class OutOfCourtKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi6";

    private static string Children => Csv(ChildrenHeader,
        $"OC-01,{Upn(601)},,Harrowgate,Finn,2010-04-04,1,WBRI,,Y",
        $"OC-02,{Upn(602)},,Oyelaran-Webb,Tia,2011-07-07,2,BAFR,,Y",
        $"OC-03,{Upn(603)},,Kilbride,Rory,2009-05-05,1,WIRI,,Y",
        $"OC-04,{Upn(604)},,Penhallow,Lily,2012-08-08,2,WBRI,,Y",
        $"OC-05,{Upn(605)},,Drummond-Achebe,Sol,2010-10-10,1,MWBA,,Y",
        $"OC-06,{Upn(606)},,Greystoke,Ivy,2011-11-11,2,WBRI,,Y",
        $"OC-07,{Upn(607)},,Marchetti-Lowe,Ben,2012-12-12,1,WOTH,,Y",
        $"OC-08,{Upn(608)},,Wolstenholme,Amy,2010-01-20,2,WBRI,,N",
        $"OC-09,{Upn(609)},,Carrick-Fenn,Joe,2007-09-15,1,WBRI,,Y");

    private static string Interventions => Csv(InterventionsHeader,
        "OC-01,I-01,YOUTH_CAUTION,2026-01-30,2026-02-01,2026-05-01,N,Y",
        "OC-02,I-02,COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT,2026-02-27,2026-03-01,2026-04-20,N,N",
        "OC-03,I-03A,YOUTH_CONDITIONAL_CAUTION,2026-01-12,2026-01-15,2026-06-30,N,Y",
        "OC-03,I-03B,COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT,2026-01-30,2026-02-01,2026-05-05,N,N",
        "OC-04,I-04,NFA_OUTCOME_20_21_WITH_YJS_INVOLVEMENT,2026-01-08,2026-01-10,2026-03-31,N,N",
        "OC-05,I-05,REFERRAL_ORDER,2026-01-02,2026-01-05,2026-05-15,N,",
        "OC-06,I-06,YOUTH_CAUTION,2026-01-18,2026-01-20,2026-05-20,Y,N",
        "OC-07,I-07,PREVENTION,2026-01-05,2026-01-05,2026-05-01,N,",
        "OC-08,I-08,NFA_OUTCOME_22_DEFERRED_PROSECUTION_WITH_YJS_INVOLVEMENT,2026-01-30,2026-02-01,2026-06-01,N,N",
        "OC-09,I-09,NFA_OUTCOME_22_WITH_YJS_INVOLVEMENT,2026-01-08,2026-01-10,2026-04-10,N,N");

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = await SendAsync(Fixture, Yot, ("yot-children", Children), ("yot-interventions", Interventions));
        return (await ComputeAsync(Yot, "2026-Q2"), receipts);
    }

    [Fact]
    public void Every_intervention_is_accepted() =>
        Assert.Equal((10L, 0L), (Receipts["yot-interventions"].Rows.Accepted, Receipts["yot-interventions"].Rows.Rejected));

    [Fact]
    public void Completed_of_programmes_ended_one_per_child_after_the_exclusions()
    {
        // OC-01 Y, OC-02 N, OC-03 (its conditional caution) Y → 2 of 3. Had OC-03's community resolution been
        // counted as well it would be 2 of 4; each excluded child (all N) would add to the denominator only.
        var k = Kpi("kpi6-oocd");
        Assert.Equal((2, 3), Figures(k));
        Assert.Equal(2.0 / 3, k.Value!.Value, 10);
        Assert.True(KpiCatalogue.Definitions["kpi6-oocd"].Headline);
    }

    [Fact]
    public void Not_completed_counts_the_programme_that_ended_without_completion()
    {
        // OC-02 only: 1 of 3.
        Assert.Equal((1, 3), Figures(Kpi("kpi6-oocd-not-completed")));
    }

    [Fact]
    public void By_out_of_court_type()
    {
        Assert.Equal((1, 1), Figures(Kpi("kpi6-oocd-youth-caution")));               // OC-01 (OC-06 is the appeal)
        Assert.Equal((0, 1), Figures(Kpi("kpi6-oocd-community-resolution")));        // OC-02 (not OC-03's)
        Assert.Equal((1, 1), Figures(Kpi("kpi6-oocd-youth-conditional-caution")));   // OC-03
        Assert.Equal((0, 0), Figures(Kpi("kpi6-oocd-outcome-22")));                  // OC-09 is 18 at start
        Assert.Null(Kpi("kpi6-oocd-outcome-22").Value);
        Assert.Equal((0, 0), Figures(Kpi("kpi6-oocd-outcome-22-deferred-prosecution"))); // OC-08 not resident
        Assert.Equal((0, 0), Figures(Kpi("kpi6-oocd-outcome-20-21")));               // OC-04 ended in Q1
    }

    [Fact]
    public void Breakdowns_are_over_the_out_of_court_population()
    {
        var k = Kpi("kpi6-oocd");
        Assert.Equal(
            [("Non-substantive out-of-court disposal", 0L, 1L), ("Youth caution", 1L, 1L), ("Youth conditional caution", 1L, 1L)],
            GroupFigures(k, "order-type"));
        Assert.Equal([("Out of court", 2L, 3L)], GroupFigures(k, "out-of-court-vs-court"));
        // OC-01 WBRI, OC-03 WIRI → White 2/2; OC-02 BAFR → Black or Black British 0/1.
        Assert.Equal([("Black or Black British", 0L, 1L), ("White", 2L, 2L)], GroupFigures(k, "ethnicity"));
    }

    [Fact]
    public void Results_name_the_children_and_interventions_drops()
    {
        var expected = new[] { "yot-children", "yot-interventions" }.Select(t => Receipts[t].DropId).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Kpi("kpi6-oocd").SourceDrops);
    }
}
