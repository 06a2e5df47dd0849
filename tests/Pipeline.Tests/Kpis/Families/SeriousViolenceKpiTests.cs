using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Families;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;
using static YouthJustice.Pipeline.Tests.Kpis.Families.CaseFileSet;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// KPI 9 (serious violence), quarter 2026-Q2 (1 April – 30 June 2026), worked out by hand. The area's 10–17
/// population: 20,000 in 2025 and 40,000 in 2026 — a 2026 quarter uses the previous year's, 20,000.
/// Ages are in completed years: SV-04, born 2008-06-10, is 17 until 9 June 2026 and 18 from 10 June (O-8's outcome day).
/// <code>
/// offence child  intervention          offence     outcome     category  score group       counted?          serious?
/// O-1     SV-01  I-101 YRO             2026-03-01  2026-04-20  ROBBERY   6     COMMUNITY   yes               yes
/// O-2     SV-01  I-101 YRO             2026-03-01  2026-04-20  VIOLENCE  4     COMMUNITY   yes               no: score 4
/// O-3     SV-01  I-102 community res.  2026-04-25  2026-05-02  DRUGS     5     PRE_COURT   yes               yes
/// O-4     SV-01  —                     2026-01-10  2026-03-20  VIOLENCE  7     FIRST_TIER  no: outcome in Q1
/// O-5     SV-02  I-201 youth caution   2026-05-01  2026-05-12  THEFT     3     PRE_COURT   yes               no
/// O-6     SV-02  —                     2026-04-01  2026-06-30  VIOLENCE  8     FIRST_TIER  yes (last day)    yes
/// O-10    SV-02  —                     2026-06-20  2026-07-05  ROBBERY   8     FIRST_TIER  no: outcome in Q3
/// O-11    SV-02  —                     2026-04-02  2026-04-30  SEXUAL    7     FIRST_TIER  yes               no: category
/// O-7     SV-03  I-301 referral order  2026-04-01  2026-05-01  ROBBERY   7     COMMUNITY   no: not local resident
/// O-8     SV-04  I-401 referral order  2026-05-20  2026-06-10  VIOLENCE  6     COMMUNITY   no: 18 at outcome (court)
/// O-9     SV-04  I-402 cond. caution   2026-05-25  2026-06-15  VIOLENCE  5     PRE_COURT   yes: 17 at offence yes
/// O-12    SV-05  —                     2026-05-01  2026-05-05  BURGLARY  5     FIRST_TIER  yes               no: category
/// </code>
/// Counted: O-1, O-2, O-3, O-5, O-6, O-9, O-11, O-12 = 8; serious: O-1, O-3, O-6, O-9 = 4.
/// Headline 4 ÷ 20,000 × 10,000 = 2.0 per 10,000.
/// </summary>
public sealed class SeriousViolenceKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi9";

    private static string Children => Csv(ChildrenHeader,
        $"SV-01,{Upn(901)},,Ravensworth,Kai,2010-05-15,1,WBRI,,Y",
        $"SV-02,{Upn(902)},,Adeyemi-Clark,Nia,2011-02-03,2,BAFR,,Y",
        $"SV-03,{Upn(903)},,Thistlewood,Cal,2010-01-09,1,WBRI,,N",
        $"SV-04,{Upn(904)},,Montgomery-Idris,Leo,2008-06-10,1,AIND,,Y",
        $"SV-05,{Upn(905)},,Fairweather,Eve,2012-09-21,2,WBRI,,Y");

    private static string Interventions => Csv(InterventionsHeader,
        "SV-01,I-101,YRO,2026-04-20,2026-04-21,,N,",
        "SV-01,I-102,COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT,2026-05-02,2026-05-03,2026-06-01,N,Y",
        "SV-02,I-201,YOUTH_CAUTION,2026-05-12,2026-05-12,,N,",
        "SV-03,I-301,REFERRAL_ORDER,2026-05-01,2026-05-02,,N,",
        "SV-04,I-401,REFERRAL_ORDER,2026-06-10,2026-06-10,,N,",
        "SV-04,I-402,YOUTH_CONDITIONAL_CAUTION,2026-06-15,2026-06-15,,N,");

    private static string Offences => Csv(OffencesHeader,
        "SV-01,O-1,I-101,2026-03-01,2026-04-20,ROBBERY,6,COMMUNITY",
        "SV-01,O-2,I-101,2026-03-01,2026-04-20,VIOLENCE_AGAINST_THE_PERSON,4,COMMUNITY",
        "SV-01,O-3,I-102,2026-04-25,2026-05-02,DRUGS,5,PRE_COURT",
        "SV-01,O-4,,2026-01-10,2026-03-20,VIOLENCE_AGAINST_THE_PERSON,7,FIRST_TIER",
        "SV-02,O-5,I-201,2026-05-01,2026-05-12,THEFT,3,PRE_COURT",
        "SV-02,O-6,,2026-04-01,2026-06-30,VIOLENCE_AGAINST_THE_PERSON,8,FIRST_TIER",
        "SV-02,O-10,,2026-06-20,2026-07-05,ROBBERY,8,FIRST_TIER",
        "SV-02,O-11,,2026-04-02,2026-04-30,SEXUAL,7,FIRST_TIER",
        "SV-03,O-7,I-301,2026-04-01,2026-05-01,ROBBERY,7,COMMUNITY",
        "SV-04,O-8,I-401,2026-05-20,2026-06-10,VIOLENCE_AGAINST_THE_PERSON,6,COMMUNITY",
        "SV-04,O-9,I-402,2026-05-25,2026-06-15,VIOLENCE_AGAINST_THE_PERSON,5,PRE_COURT",
        "SV-05,O-12,,2026-05-01,2026-05-05,BURGLARY,5,FIRST_TIER");

    /// <summary>The quarter's results computed with the given population estimates (none: no estimate loaded).</summary>
    private Task<KpiSet> ComputeWithPopulationAsync(long? population2025) =>
        ComputeFamilyAsync(new SeriousViolenceKpi(), Yot, "2026-Q2", population2025 is { } p
            ? new AreaPopulations([new AreaPopulation(Yot, 2025, p, "test 2025"), new AreaPopulation(Yot, 2026, 40_000, "test 2026")])
            : AreaPopulations.None);

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = await SendAsync(Fixture, Yot, ("yot-children", Children), ("yot-interventions", Interventions),
            ("yot-offences", Offences));
        return (await ComputeWithPopulationAsync(20_000), receipts);
    }

    [Fact]
    public void Every_row_is_accepted()
    {
        Assert.Equal(5, Receipts["yot-children"].Rows.Accepted);
        Assert.Equal(6, Receipts["yot-interventions"].Rows.Accepted);
        Assert.Equal(12, Receipts["yot-offences"].Rows.Accepted);
    }

    [Fact]
    public void Headline_is_serious_violent_offences_per_10000_of_the_previous_years_population()
    {
        // O-1, O-3, O-6, O-9 = 4; ÷ 20,000 (2025, not 2026's 40,000) × 10,000 = 2.0.
        // Left out: O-4 and O-10 (outcome outside the quarter), O-2 (score 4), O-7 (not local), O-8 (18 at a court outcome).
        var k = Kpi("kpi9-serious-violence");
        Assert.Equal((4L, 20_000L), (k.Numerator, k.Denominator));
        Assert.Equal(10_000, k.Scale);
        Assert.Equal(2.0, k.Value!.Value, 10);
        Assert.Equal(Receipts.Values.Select(r => r.DropId).Order(StringComparer.Ordinal), k.SourceDrops);
    }

    [Fact]
    public async Task Without_a_configured_population_the_rate_is_missing_not_zero()
    {
        var set = await ComputeWithPopulationAsync(null);
        var k = Assert.Single(set.Kpis, r => r.Id == "kpi9-serious-violence");
        Assert.Equal((4L, 0L), (k.Numerator, k.Denominator));
        Assert.Null(k.Value);
    }

    [Fact]
    public void Share_of_offences_breaks_down_by_category_score_and_order_type()
    {
        var k = Kpi("kpi9-serious-violence-share");
        Assert.Equal((4L, 8L), (k.Numerator, k.Denominator));

        // Violence: O-2 (4), O-6 (8), O-9 (5) → 2 of 3; robbery O-1; drugs O-3; other: O-5 theft, O-11 sexual, O-12 burglary.
        Assert.Equal([("Violence against the person", 2L, 3L), ("Robbery", 1L, 1L), ("Drugs", 1L, 1L), ("Other categories", 0L, 3L)],
            GroupFigures(k, "category"));

        // 1–4: O-2, O-5; 5: O-3, O-9, O-12 (burglary); 6: O-1; 7: O-11 (sexual); 8: O-6.
        Assert.Equal([("1-4", 0L, 2L), ("5", 2L, 3L), ("6", 1L, 1L), ("7", 0L, 1L), ("8", 1L, 1L)], GroupFigures(k, "score"));

        // O-3 (community resolution) is left out of this breakdown: 3 of 7, not 4 of 8.
        // Youth caution: O-5; conditional caution: O-9; YRO: O-1, O-2; no intervention: O-6, O-11, O-12.
        Assert.Equal(
        [
            ("Youth caution", 0L, 1L), ("Youth conditional caution", 1L, 1L), ("Referral order", 0L, 0L),
            ("Youth rehabilitation order", 1L, 2L), ("Custodial sentence", 0L, 0L), ("No intervention recorded", 1L, 3L),
        ], GroupFigures(k, "order-type"));
    }

    [Fact]
    public void Children_with_serious_violence_of_children_with_any_offence()
    {
        // SV-01 (O-1, O-3), SV-02 (O-6), SV-04 (O-9) of SV-01, SV-02, SV-04, SV-05 → 3 of 4.
        var k = Kpi("kpi9-serious-violence-children");
        Assert.Equal((3L, 4L), (k.Numerator, k.Denominator));
        // Profiles from the most serious counted intervention the child's offences name: SV-01 YRO (I-101 over the
        // community resolution), SV-02 youth caution. SV-04 was 18 at both interventions' start and SV-05's offence names
        // none: headline only.
        Assert.Equal([("Youth caution", 1L, 1L), ("Youth rehabilitation order", 1L, 1L)], GroupFigures(k, "order-type"));
        Assert.Equal([("Female", 1L, 1L), ("Male", 1L, 1L)], GroupFigures(k, "sex"));
    }
}
