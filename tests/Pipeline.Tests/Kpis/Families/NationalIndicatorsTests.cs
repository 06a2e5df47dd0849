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
/// The national indicators' local estimates, quarter 2026-Q2, worked out by hand. 10–17 population: 24,000 (2024),
/// 25,000 (2025); 2026 quarters use 2025's, 2025 quarters 2024's.
/// <code>
/// First-time entrants (formal outcome = caution, conditional caution or court outcome):
/// NF-01  community resolution, outcome 2025-11-10; youth caution, outcome 2026-05-05  → enters 2026-Q2 (not 2025-Q4)
/// NF-02  YRO, outcome 2025-09-01; referral order, outcome 2026-04-10                  → entered 2025-Q3: not in Q2
/// NF-03  FIRST_TIER outcome 2026-06-30, no intervention named (a court outcome)       → enters 2026-Q2
/// NF-04  PRE_COURT outcome 2026-05-20, no intervention named (caution or CR unknown)  → not counted
/// NF-05  youth caution 2026-05-01, not a local resident                               → not counted
/// NF-06  conditional caution 2026-05-01, changed on appeal                            → not counted
/// 2026-Q2: 2 ÷ 25,000 × 100,000 = 8.0. 2025-Q4: 0 (NF-01's community resolution is no entry).
///
/// Custody (custody intervention with its legal outcome in the quarter):
/// NC-01  DTO 2026-05-10 and another custodial sentence 2026-06-01 → 2 sentences
/// NC-02  S250 2026-03-30 (Q1); NC-03 DTO 2026-04-15 changed on appeal; NC-04 DTO 2026-06-20 not local → 0
/// 2026-Q2: 2 ÷ 25,000 × 1,000 = 0.08.
///
/// Reoffending: cohort quarter 2024-Q4 (ends 2024-12-31, 18 months before 2026-06-30).
/// NR-01  youth caution, outcome 2024-10-15 → index 2024-10-15 (offence by 2025-10-15, outcome by 2026-04-15)
///          R-1b committed 2025-03-01, YRO 2025-05-01                 → reoffence
///          R-1c committed 2025-10-10, court outcome 2026-04-10       → reoffence (outcome in the 6 extra months)
///          R-1d committed 2025-10-16                                  → no: after 12 months
/// NR-02  YRO, outcome 2024-11-20 → index 2024-11-20 (outcome by 2026-05-20)
///          R-2b community resolution 2025-07-01                       → no: not a formal outcome
///          R-2c committed 2025-09-01, outcome 2026-06-01              → no: outcome after 18 months
/// NR-03  released from custody (DTO ending) 2024-12-10 → index 2024-12-10
///          R-3b committed 2025-01-15, youth caution 2025-03-01        → reoffence
/// NR-04  caution 2024-09-30 (Q3); NR-05 community resolution 2024-11-05; NR-06 sentenced to custody 2024-11-01,
///          released 2025-05-01 (enters at release) → not in the cohort
/// Binary: 2 reoffenders (NR-01, NR-03) ÷ 3 = 0.667; frequency: 3 reoffences ÷ 3 = 1.0.
/// </code>
/// </summary>
public sealed class NationalIndicatorsTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-nat";

    private static string Children => Csv(ChildrenHeader,
        $"NF-01,{Upn(961)},,Blackthorne,Ruby,2010-02-11,2,WBRI,,Y",
        $"NF-02,{Upn(962)},,Castellano-Reid,Max,2010-04-12,1,WOTH,,Y",
        $"NF-03,{Upn(963)},,Dunmore,Isla,2011-05-13,2,MWAS,,Y",
        $"NF-04,{Upn(964)},,Eversleigh,Noah,2011-06-14,1,WBRI,,Y",
        $"NF-05,{Upn(965)},,Fitzwarren,Lola,2010-07-15,2,WBRI,,N",
        $"NF-06,{Upn(966)},,Gallagher-Obi,Theo,2010-08-16,1,BAFR,,Y",
        $"NC-01,{Upn(971)},,Holloway-Stern,Jake,2009-09-17,1,WBRI,,Y",
        $"NC-02,{Upn(972)},,Ingleby,Rhys,2009-10-18,1,WBRI,,Y",
        $"NC-03,{Upn(973)},,Jessop-Kaur,Dev,2009-11-19,1,AIND,,Y",
        $"NC-04,{Upn(974)},,Kettleborough,Sam,2009-12-20,1,WBRI,,N",
        $"NR-01,{Upn(981)},,Lockwood,Aled,2009-03-21,1,WBRI,,Y",
        $"NR-02,{Upn(982)},,Merriweather,Cara,2009-04-22,2,WBRI,,Y",
        $"NR-03,{Upn(983)},,Northcott-Ade,Ben,2009-03-23,1,BCRB,,Y",
        $"NR-04,{Upn(984)},,Ollerenshaw,Dan,2010-01-24,1,WBRI,,Y",
        $"NR-05,{Upn(985)},,Pemberton-Yu,Ella,2010-02-25,2,AOTH,,Y",
        $"NR-06,{Upn(986)},,Quarrington,Finn,2009-05-26,1,WBRI,,Y");

    private static string Interventions => Csv(InterventionsHeader,
        "NF-01,I-F1a,COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT,2025-11-10,2025-11-10,2026-01-10,N,Y",
        "NF-01,I-F1b,YOUTH_CAUTION,2026-05-05,2026-05-05,,N,",
        "NF-02,I-F2a,YRO,2025-09-01,2025-09-02,2026-03-01,N,",
        "NF-02,I-F2b,REFERRAL_ORDER,2026-04-10,2026-04-11,,N,",
        "NF-05,I-F5,YOUTH_CAUTION,2026-05-01,2026-05-01,,N,",
        "NF-06,I-F6,YOUTH_CONDITIONAL_CAUTION,2026-05-01,2026-05-01,,Y,",
        "NC-01,I-C1,CUSTODY_DTO,2026-05-10,2026-05-10,,N,",
        "NC-01,I-C1b,CUSTODY_OTHER,2026-06-01,2026-06-01,,N,",
        "NC-02,I-C2,CUSTODY_S250,2026-03-30,2026-03-30,,N,",
        "NC-03,I-C3,CUSTODY_DTO,2026-04-15,2026-04-15,,Y,",
        "NC-04,I-C4,CUSTODY_DTO,2026-06-20,2026-06-20,,N,",
        "NR-01,I-R1a,YOUTH_CAUTION,2024-10-15,2024-10-15,2025-01-15,N,Y",
        "NR-01,I-R1b,YRO,2025-05-01,2025-05-02,2026-05-01,N,",
        "NR-02,I-R2a,YRO,2024-11-20,2024-11-21,2025-11-20,N,",
        "NR-02,I-R2b,COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT,2025-07-01,2025-07-01,2025-08-01,N,Y",
        "NR-03,I-R3,CUSTODY_DTO,2024-06-01,2024-06-01,2024-12-10,N,",
        "NR-03,I-R3b,YOUTH_CAUTION,2025-03-01,2025-03-01,2025-06-01,N,Y",
        "NR-04,I-R4,YOUTH_CAUTION,2024-09-30,2024-09-30,2024-12-30,N,Y",
        "NR-05,I-R5,COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT,2024-11-05,2024-11-05,2024-12-05,N,Y",
        "NR-06,I-R6,CUSTODY_DTO,2024-11-01,2024-11-01,2025-05-01,N,");

    private static string Offences => Csv(OffencesHeader,
        "NF-01,F-1a,I-F1a,2025-10-20,2025-11-10,THEFT,2,PRE_COURT",
        "NF-01,F-1b,I-F1b,2026-04-15,2026-05-05,CRIMINAL_DAMAGE,3,PRE_COURT",
        "NF-02,F-2a,I-F2a,2025-07-01,2025-09-01,BURGLARY,5,COMMUNITY",
        "NF-02,F-2b,I-F2b,2026-03-01,2026-04-10,THEFT,3,FIRST_TIER",
        "NF-03,F-3,,2026-05-01,2026-06-30,PUBLIC_ORDER,3,FIRST_TIER",
        "NF-04,F-4,,2026-04-01,2026-05-20,THEFT,2,PRE_COURT",
        "NF-05,F-5,I-F5,2026-04-01,2026-05-01,THEFT,2,PRE_COURT",
        "NF-06,F-6,I-F6,2026-04-01,2026-05-01,THEFT,2,PRE_COURT",
        "NR-01,R-1a,I-R1a,2024-09-01,2024-10-15,THEFT,2,PRE_COURT",
        "NR-01,R-1b,I-R1b,2025-03-01,2025-05-01,BURGLARY,5,COMMUNITY",
        "NR-01,R-1c,,2025-10-10,2026-04-10,THEFT,3,FIRST_TIER",
        "NR-01,R-1d,,2025-10-16,2025-12-01,THEFT,3,FIRST_TIER",
        "NR-02,R-2a,I-R2a,2024-08-01,2024-11-20,ROBBERY,6,COMMUNITY",
        "NR-02,R-2b,I-R2b,2025-06-01,2025-07-01,THEFT,2,PRE_COURT",
        "NR-02,R-2c,,2025-09-01,2026-06-01,THEFT,3,FIRST_TIER",
        "NR-03,R-3b,I-R3b,2025-01-15,2025-03-01,THEFT,2,PRE_COURT",
        "NR-04,R-4,I-R4,2024-09-01,2024-09-30,THEFT,2,PRE_COURT",
        "NR-05,R-5,I-R5,2024-10-01,2024-11-05,THEFT,2,PRE_COURT",
        "NR-06,R-6,I-R6,2024-09-01,2024-11-01,ROBBERY,7,CUSTODY");

    /// <summary>The family's results for a quarter, with the area's population estimates or (none) without any.</summary>
    private Task<KpiSet> ComputeWithPopulationAsync(bool withPopulation, string period) =>
        ComputeFamilyAsync(new NationalIndicators(), Yot, period, withPopulation
            ? new AreaPopulations([new AreaPopulation(Yot, 2024, 24_000, "test 2024"), new AreaPopulation(Yot, 2025, 25_000, "test 2025")])
            : AreaPopulations.None);

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = await SendAsync(Fixture, Yot, ("yot-children", Children), ("yot-interventions", Interventions),
            ("yot-offences", Offences));
        return (await ComputeWithPopulationAsync(true, "2026-Q2"), receipts);
    }

    [Fact]
    public void Every_row_is_accepted()
    {
        Assert.Equal(16, Receipts["yot-children"].Rows.Accepted);
        Assert.Equal(20, Receipts["yot-interventions"].Rows.Accepted);
        Assert.Equal(19, Receipts["yot-offences"].Rows.Accepted);
    }

    [Fact]
    public void First_time_entrants_per_100000()
    {
        // NF-01 (caution after a community resolution) and NF-03 (court outcome) → 2 ÷ 25,000 × 100,000 = 8.0.
        var k = Kpi("nat-fte");
        Assert.Equal((2L, 25_000L), (k.Numerator, k.Denominator));
        Assert.Equal(100_000, k.Scale);
        Assert.Equal(8.0, k.Value!.Value, 10);
    }

    [Fact]
    public async Task A_community_resolution_does_not_make_a_first_time_entrant()
    {
        // 2025-Q4 holds NF-01's community resolution (2025-11-10) and no child's first formal outcome → 0 ÷ 24,000.
        var set = await ComputeWithPopulationAsync(true, "2025-Q4");
        var k = Assert.Single(set.Kpis, r => r.Id == "nat-fte");
        Assert.Equal((0L, 24_000L), (k.Numerator, k.Denominator));
        Assert.Equal(0.0, k.Value);
    }

    [Fact]
    public void Custodial_sentences_per_1000_count_sentences()
    {
        // NC-01's two sentences, on 10 May and 1 June → 2 ÷ 25,000 × 1,000 = 0.08 (the specification counts sentences).
        var k = Kpi("nat-custody");
        Assert.Equal((2L, 25_000L), (k.Numerator, k.Denominator));
        Assert.Equal(0.08, k.Value!.Value, 10);
    }

    [Fact]
    public void Reoffending_follows_the_cohort_of_18_months_ago()
    {
        var binary = Kpi("nat-reoffending-binary");
        Assert.Equal((2L, 3L), (binary.Numerator, binary.Denominator));
        // By the index intervention: NR-01 caution (reoffended), NR-02 YRO (no), NR-03 custody (reoffended).
        Assert.Equal([("Custodial sentence", 1L, 1L), ("Youth caution", 1L, 1L), ("Youth rehabilitation order", 0L, 1L)],
            binary.Breakdowns["order-type"].Select(g => (g.Group, g.Numerator, g.Denominator)));

        var frequency = Kpi("nat-reoffending-frequency");
        Assert.Equal((3L, 3L), (frequency.Numerator, frequency.Denominator));
        Assert.Equal(1.0, frequency.Value);
    }

    [Fact]
    public async Task Without_a_configured_population_the_rates_are_missing_not_zero()
    {
        var set = await ComputeWithPopulationAsync(false, "2026-Q2");
        foreach (var id in new[] { "nat-fte", "nat-custody" })
        {
            var k = Assert.Single(set.Kpis, r => r.Id == id);
            Assert.Equal(0L, k.Denominator);
            Assert.Null(k.Value);
        }
        // The reoffending rates do not need the population.
        Assert.Equal(2.0 / 3, Assert.Single(set.Kpis, r => r.Id == "nat-reoffending-binary").Value!.Value, 10);
    }
}
