using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// KPI 2 on <see cref="AccommodationEteSendScenario"/>, worked out by hand. Population: AES-01, 02, 03, 07, 08, 10.
/// School age at the end (under 16 on 31 August 2025): AES-01, AES-03 (born September 2009: 15 then, 16 by the end),
/// AES-10. Above: AES-02, AES-07, AES-08.
/// </summary>
public sealed class EteKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi2";

    protected override Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync() =>
        AccommodationEteSendScenario.LoadAsync(Fixture, Yot);

    [Fact]
    public void Suitable_at_end()
    {
        // AES-01 school SUITABLE → 1; AES-02 college ended 2026-02-09, no record at 2026-06-30 → 0;
        // AES-03 two open arrangements, both SUITABLE → 1; AES-07 NONE → 0; AES-08 employment SUITABLE → 1;
        // AES-10 AP_PRU UNKNOWN → 0.  3 of 6.
        var k = Kpi("kpi2-ete");
        Assert.Equal((3, 6), k.Fraction());
        Assert.Equal(
            [("Custodial sentence", 0L, 1L), ("Non-substantive out-of-court disposal", 0L, 1L), ("Referral order", 1L, 1L),
             ("Youth caution", 0L, 1L), ("Youth rehabilitation order", 2L, 2L)],
            k.Groups("order-type"));
        string[] expected = [Receipts["yot-children"].DropId, Receipts["yot-interventions"].DropId, Receipts["yot-ete"].DropId];
        Assert.Equal(expected.Order(StringComparer.Ordinal), k.SourceDrops);
    }

    [Fact]
    public void Suitable_at_start_custody_on_the_day_before()
    {
        // AES-01 (2026-01-10) school → 1; AES-02 custody, judged 2026-02-09: college ending that day SUITABLE → 1;
        // AES-03 (2026-01-05) part-time school → 1 (AP starts in March); AES-07 NONE → 0;
        // AES-08 (2025-12-01) employment starts 2026-02-01 → no record → 0; AES-10 (2026-04-01) UNKNOWN → 0.  3 of 6.
        Assert.Equal((3, 6), Kpi("kpi2-ete-start").Fraction());
    }

    [Fact]
    public void School_age_versus_above_uses_the_31_August_before()
    {
        // School age: AES-01 1, AES-03 1, AES-10 0 → 2 of 3.  Above: AES-02 0, AES-07 0, AES-08 1 → 1 of 3.
        Assert.Equal((2, 3), Kpi("kpi2-ete-school-age").Fraction());
        Assert.Equal((1, 3), Kpi("kpi2-ete-above-school-age").Fraction());
    }

    [Fact]
    public void Full_and_part_time_by_hours_offered_summed_over_open_records()
    {
        // In ETE at end (an open record other than NONE): AES-01, 03, 08, 10 → denominator 4.
        // Hours offered: AES-01 25 (school age, ≥ 25 → full); AES-03 10 + 10 = 20 (school age, < 25 → part — it would be
        // full time if judged above school age); AES-08 16 (above, ≥ 16 → full); AES-10 12.5 (school age → part).
        Assert.Equal((2, 4), Kpi("kpi2-ete-full-time").Fraction());
        Assert.Equal((2, 4), Kpi("kpi2-ete-part-time").Fraction());
    }

    [Fact]
    public void Hour_bands()
    {
        // 1–15: AES-10 (12.5); 16–24: AES-03 (20), AES-08 (16); 25+: AES-01 (25).
        Assert.Equal((1, 4), Kpi("kpi2-ete-hours-1-15").Fraction());
        Assert.Equal((2, 4), Kpi("kpi2-ete-hours-16-24").Fraction());
        Assert.Equal((1, 4), Kpi("kpi2-ete-hours-25-plus").Fraction());
    }

    [Fact]
    public void Hours_attended_over_hours_offered_in_minutes()
    {
        // Attended 20 + (5 + 10) + 12 + 7.5 = 54.5 h = 3,270 min; offered 25 + (10 + 10) + 16 + 12.5 = 73.5 h = 4,410 min.
        var k = Kpi("kpi2-ete-hours-attended");
        Assert.Equal((3270, 4410), k.Fraction());
        Assert.Equal(54.5 / 73.5, k.Value!.Value, 10);
    }

    [Fact]
    public void By_provision_type_at_end()
    {
        // AES-10 AP_PRU 0/1; AES-08 employment 1/1; AES-07 NONE 0/1; AES-02 no record 0/1; AES-01 school 1/1;
        // AES-03 school part time + AP → "Several types" 1/1.
        var k = Kpi("kpi2-ete-by-provision");
        Assert.Equal((3, 6), k.Fraction());
        Assert.Equal(
            [("AP_PRU", 0L, 1L), ("EMPLOYMENT_PART_TIME", 1L, 1L), ("NONE", 0L, 1L), ("No record", 0L, 1L),
             ("SCHOOL_FULL_TIME", 1L, 1L), ("Several types", 1L, 1L)],
            k.Groups("provision-type"));
    }
}
