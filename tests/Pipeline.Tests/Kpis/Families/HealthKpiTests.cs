using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;
using static YouthJustice.Pipeline.Tests.Kpis.Families.CaseFileSet;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// KPIs 4 (mental health) and 5 (substance misuse), quarter 2026-Q2 (1 April – 30 June 2026), worked out by hand.
/// <code>
/// child  sex  order (start → end)                          counted?
/// HL-01  M    YRO 2026-01-05 → 2026-05-20                  yes
/// HL-02  F    REFERRAL_ORDER 2026-02-01 → 2026-06-30       yes (ends on the quarter's last day)
/// HL-03  M    REFERRAL_ORDER 2026-03-01 → 2026-04-15       yes
/// HL-04  F    YRO 2026-01-10 → 2026-05-01                  yes
/// HL-05  M    PREVENTION 2026-01-05 → 2026-05-01           no: prevention
/// HL-06  F    YRO 2026-01-12 → 2026-05-05, appeal          no: changed on appeal
/// </code>
/// Children with an order ending: HL-01..04 = 4. HL-05 and HL-06 were screened, offered and attending in both areas,
/// so counting either would move every figure.
/// </summary>
public sealed class HealthKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi45";
    private static readonly Quarter Q2 = Quarter.Parse("2026-Q2");

    private static string Children => Csv(ChildrenHeader,
        $"HL-01,{Upn(401)},,Ashdown-Pryce,Callum,2011-06-10,1,WBRI,,Y",
        $"HL-02,{Upn(402)},,Fenwick-Olatunji,Priya,2010-02-14,2,WBRI,,Y",
        $"HL-03,{Upn(403)},,Stonebridge,Marcus,2012-09-01,1,BCRB,,Y",
        $"HL-04,{Upn(404)},,Llewellyn-Hart,Zara,2009-11-20,2,MWBC,,Y",
        $"HL-05,{Upn(405)},,Quarrington,Eli,2012-01-05,1,WBRI,,Y",
        $"HL-06,{Upn(406)},,Tremayne-Doyle,Nia,2011-03-03,2,WBRI,,Y");

    private static string Interventions => Csv(InterventionsHeader,
        "HL-01,I-01,YRO,2026-01-03,2026-01-05,2026-05-20,N,",
        "HL-02,I-02,REFERRAL_ORDER,2026-01-30,2026-02-01,2026-06-30,N,",
        "HL-03,I-03,REFERRAL_ORDER,2026-02-27,2026-03-01,2026-04-15,N,",
        "HL-04,I-04,YRO,2026-01-08,2026-01-10,2026-05-01,N,",
        "HL-05,I-05,PREVENTION,2026-01-05,2026-01-05,2026-05-01,N,",
        "HL-06,I-06,YRO,2026-01-10,2026-01-12,2026-05-05,Y,");

    // yot_case_ref, area, screened, referred, offered, attended start, attended end, intervention type
    private static string Health => Csv(HealthHeader,
        // HL-01: screened in the order, offered and attending in it — in both areas.
        "HL-01,MENTAL_HEALTH,2026-01-10,2026-01-12,2026-01-20,2026-02-01,2026-04-30,GETTING_HELP",
        "HL-01,SUBSTANCE_MISUSE,2026-01-10,,2026-02-01,2026-02-10,,TARGETED_INTERVENTION",
        // HL-02: screened two days after the order ended — not counted.
        "HL-02,MENTAL_HEALTH,2026-07-02,,,,,",
        // HL-03: referred by another service (no YOT screening) and already in treatment before the order started.
        "HL-03,MENTAL_HEALTH,,2025-11-20,2025-11-25,2025-12-01,,GETTING_ADDITIONAL_HELP",
        // HL-03: substance misuse screened in the order, no intervention.
        "HL-03,SUBSTANCE_MISUSE,2026-03-05,,,,,NO_INTERVENTION",
        // HL-04: mental health offered only after the order ended; substance misuse specialist treatment attended, complex care offered.
        "HL-04,MENTAL_HEALTH,2026-01-15,2026-01-20,2026-05-10,,,GETTING_ADVICE",
        "HL-04,SUBSTANCE_MISUSE,2026-01-15,2026-01-20,2026-01-25,2026-02-01,2026-03-01,SPECIALIST_TREATMENT",
        "HL-04,SUBSTANCE_MISUSE,2026-01-15,2026-01-20,2026-03-10,,,COMPLEX_CARE",
        // Excluded children: everything would count.
        "HL-05,MENTAL_HEALTH,2026-02-01,,2026-02-10,2026-02-15,,GETTING_HELP",
        "HL-05,SUBSTANCE_MISUSE,2026-02-01,,2026-02-10,2026-02-15,,TARGETED_INTERVENTION",
        "HL-06,MENTAL_HEALTH,2026-02-01,,2026-02-10,2026-02-15,,GETTING_RISK_SUPPORT",
        "HL-06,SUBSTANCE_MISUSE,2026-02-01,,2026-02-10,2026-02-15,,COMPLEX_CARE");

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = await SendAsync(Fixture, Yot, ("yot-children", Children), ("yot-interventions", Interventions),
            ("yot-health", Health));
        return (await ComputeAsync(Yot, Q2.ToString()), receipts);
    }

    [Fact]
    public void Every_row_is_accepted()
    {
        Assert.All(Receipts.Values, r => Assert.Equal((0L, r.Rows.Read), (r.Rows.Rejected, r.Rows.Accepted)));
        Assert.Equal(12L, Receipts["yot-health"].Rows.Accepted);
    }

    [Fact]
    public void Kpi4_official_counts_needs_screened_or_identified_by_the_orders_end()
    {
        // HL-01 screened 2026-01-10 ≤ 2026-05-20 → 1; HL-02 screened 2026-07-02 > 2026-06-30 → 0;
        // HL-03 no screening, referred 2025-11-20 ≤ 2026-04-15 → 1; HL-04 screened 2026-01-15 ≤ 2026-05-01 → 1.
        // 3 of 4 (with the prevention and appeal children it would be 5 of 6).
        foreach (var id in new[] { "kpi4-mental-health", "kpi4-mental-health-screened" })
        {
            var k = Kpi(id);
            Assert.Equal((3, 4), Figures(k));
            Assert.Equal(0.75, k.Value!.Value, 10);
        }
        // Sex: female HL-02 (0) + HL-04 (1) = 1/2; male HL-01 (1) + HL-03 (1) = 2/2.
        Assert.Equal([("Female", 1L, 2L), ("Male", 2L, 2L)], GroupFigures(Kpi("kpi4-mental-health"), "sex"));
        // Order type: referral orders HL-02 (0), HL-03 (1) = 1/2; YROs HL-01, HL-04 = 2/2.
        Assert.Equal([("Referral order", 1L, 2L), ("Youth rehabilitation order", 2L, 2L)],
            GroupFigures(Kpi("kpi4-mental-health"), "order-type"));
    }

    [Fact]
    public void Kpi4_yjb_variant_counts_offers_in_the_window_or_treatment_at_start_among_children_with_need()
    {
        // Children with need: HL-01, HL-03, HL-04 = 3.
        // HL-01 offered 2026-01-20 within 2026-01-05..2026-05-20 → 1.
        // HL-03 offered 2025-11-25, before the order, but attending since 2025-12-01 with no end: in treatment at start → 1.
        // HL-04 offered 2026-05-10, after the order ended on 2026-05-01 → 0.   2 of 3.
        var k = Kpi("kpi4-mental-health-offered");
        Assert.Equal((2, 3), Figures(k));
        Assert.Equal(2.0 / 3, k.Value!.Value, 10);
    }

    [Fact]
    public void Kpi4_attending_by_intervention_type()
    {
        // Attending during the order: HL-01 2026-02-01..2026-04-30 (getting help), HL-03 since 2025-12-01 (getting
        // additional help); HL-04 never attended. Each ÷ the 3 children with need.
        Assert.Equal((2, 3), Figures(Kpi("kpi4-mental-health-attending")));
        Assert.Equal((0, 3), Figures(Kpi("kpi4-mental-health-attending-getting-advice")));
        Assert.Equal((1, 3), Figures(Kpi("kpi4-mental-health-attending-getting-help")));
        Assert.Equal((1, 3), Figures(Kpi("kpi4-mental-health-attending-getting-additional-help")));
        Assert.Equal((0, 3), Figures(Kpi("kpi4-mental-health-attending-getting-risk-support")));
    }

    [Fact]
    public void Kpi5_official_and_yjb_variant()
    {
        // Need by the end: HL-01 (2026-01-10), HL-03 (2026-03-05, even with no intervention), HL-04 (2026-01-15); HL-02 none.
        Assert.Equal((3, 4), Figures(Kpi("kpi5-substance-misuse")));
        Assert.Equal((3, 4), Figures(Kpi("kpi5-substance-misuse-screened")));
        // Offered in the window: HL-01 2026-02-01 (targeted) → 1; HL-03 no intervention → 0;
        // HL-04 2026-01-25 (specialist) and 2026-03-10 (complex care), both within 2026-01-10..2026-05-01 → 1.   2 of 3.
        Assert.Equal((2, 3), Figures(Kpi("kpi5-substance-misuse-offered")));
    }

    [Fact]
    public void Kpi5_offered_and_attending_by_level()
    {
        Assert.Equal((1, 3), Figures(Kpi("kpi5-substance-misuse-offered-targeted")));     // HL-01
        Assert.Equal((1, 3), Figures(Kpi("kpi5-substance-misuse-offered-specialist")));   // HL-04
        Assert.Equal((1, 3), Figures(Kpi("kpi5-substance-misuse-offered-complex-care"))); // HL-04, offered, never attended
        // Attending: HL-01 targeted since 2026-02-10 (still open); HL-04 specialist 2026-02-01..2026-03-01.
        Assert.Equal((2, 3), Figures(Kpi("kpi5-substance-misuse-attending")));
        Assert.Equal((1, 3), Figures(Kpi("kpi5-substance-misuse-attending-targeted")));
        Assert.Equal((1, 3), Figures(Kpi("kpi5-substance-misuse-attending-specialist")));
        Assert.Equal((0, 3), Figures(Kpi("kpi5-substance-misuse-attending-complex-care")));
    }

    [Theory]
    [InlineData("kpi4-mental-health", 400, 7)]
    [InlineData("kpi5-substance-misuse", 500, 9)]
    public void Sub_measures_are_defined_under_their_headline(string headline, int rank, int subMeasures)
    {
        Assert.True(KpiCatalogue.Definitions[headline].Headline);
        Assert.Equal(rank, KpiCatalogue.Definitions[headline].Rank);
        var subs = KpiCatalogue.Definitions.Values.Where(d => d.Id.StartsWith(headline + "-", StringComparison.Ordinal)).ToList();
        Assert.Equal(subMeasures, subs.Count);
        Assert.All(subs, d => Assert.Equal((false, headline), (d.Headline, d.Parent)));
        Assert.All(subs, d => Assert.InRange(d.Rank, rank + 1, rank + 99));
        Assert.All(subs, d => Assert.Single(Set.Kpis, k => k.Id == d.Id));
    }

    [Fact]
    public async Task Configured_yjb_headline_carries_the_variant_under_the_headline_id()
    {
        var engine = new KpiEngine(Fixture.Storage, Options.Create(new KpiOptions { Headline = "yjb" }));
        var set = await engine.ComputeAsync(Yot, Q2, default);
        KpiResult K(string id) => Assert.Single(set.Kpis, k => k.Id == id);
        Assert.Equal((2, 3), Figures(K("kpi4-mental-health")));
        Assert.Equal((2, 3), Figures(K("kpi5-substance-misuse")));
        // Both definitions stay available by their own ids.
        Assert.Equal((3, 4), Figures(K("kpi4-mental-health-screened")));
        Assert.Equal((2, 3), Figures(K("kpi4-mental-health-offered")));
    }

    [Fact]
    public void Results_name_the_children_interventions_and_health_drops()
    {
        var expected = new[] { "yot-children", "yot-interventions", "yot-health" }.Select(t => Receipts[t].DropId)
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, Kpi("kpi4-mental-health").SourceDrops);
        Assert.Equal(expected, Kpi("kpi5-substance-misuse-offered").SourceDrops);
    }
}
