using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>KPI 1 on <see cref="AccommodationEteSendScenario"/>, worked out by hand. Population: AES-01, 02, 03, 07, 08, 10.</summary>
public sealed class AccommodationKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi1";

    protected override Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync() =>
        AccommodationEteSendScenario.LoadAsync(Fixture, Yot);

    [Fact]
    public void Every_row_is_kept_including_bed_and_breakfast_recorded_suitable()
    {
        // B&B recorded SUITABLE is a query, not an error: the row is kept and counted as unsuitable.
        var r = Receipts["yot-accommodation"];
        Assert.Equal((12L, 12L, 0L), (r.Rows.Read, r.Rows.Accepted, r.Rows.Rejected));
        Assert.All(Receipts.Values, x => Assert.Equal(0, x.Rows.Rejected));
    }

    [Fact]
    public void Suitable_at_end_needs_every_open_placement_suitable()
    {
        // At the counted order's end:
        //   AES-01 (2026-05-20): parents SUITABLE + supported accommodation UNSUITABLE → not suitable (all must be)
        //   AES-02 (2026-06-30): STC UNKNOWN → not suitable
        //   AES-03 (YRO end 2026-06-10, not the referral order's 2026-04-15): bed and breakfast recorded SUITABLE → not suitable
        //   AES-07: parents SUITABLE → 1;  AES-08: foster care SUITABLE → 1;  AES-10: no record → not suitable
        // 2 of 6. (Counting AES-04 / 05 / 06 / 09 — aged 18, prevention, appeal, ends 1 July — would add to both.)
        var k = Kpi("kpi1-accommodation");
        Assert.Equal((2, 6), k.Fraction());
        Assert.Equal(2.0 / 6, k.Value!.Value, 10);
    }

    [Fact]
    public void At_start_custody_is_judged_on_the_day_before()
    {
        // At start:
        //   AES-01 (2026-01-10): parents only (supported accommodation starts 1 May) → 1
        //   AES-02 custody from 2026-02-10, judged on 2026-02-09: family placement ending 2026-02-09 is open → 1;
        //          the STC placement (UNKNOWN) starting on 2026-02-10 is not → it does not make the child unsuitable
        //   AES-03 (YRO start 2026-01-05): parents → 1;  AES-07: parents → 1;  AES-08: foster → 1;  AES-10: none → 0
        // 5 of 6.
        var k = Kpi("kpi1-accommodation-start");
        Assert.Equal((5, 6), k.Fraction());
        Assert.Equal(
            [("Custodial sentence", 1L, 1L), ("Non-substantive out-of-court disposal", 0L, 1L), ("Referral order", 1L, 1L),
             ("Youth caution", 1L, 1L), ("Youth rehabilitation order", 2L, 2L)],
            k.Groups("order-type"));
    }

    [Fact]
    public void By_order_type_the_child_with_two_orders_counts_once_under_the_more_serious()
    {
        // AES-03's referral order and YRO both end in the quarter: only the YRO counts, so YRO = AES-01 and AES-03
        // (both unsuitable at end) and the referral order group holds AES-08 alone.
        Assert.Equal(
            [("Custodial sentence", 0L, 1L), ("Non-substantive out-of-court disposal", 0L, 1L), ("Referral order", 1L, 1L),
             ("Youth caution", 1L, 1L), ("Youth rehabilitation order", 0L, 2L)],
            Kpi("kpi1-accommodation").Groups("order-type"));
    }

    [Fact]
    public void By_accommodation_type_at_end()
    {
        // AES-03 B&B 0/1; AES-08 foster 1/1; AES-07 parents 1/1; AES-10 no record 0/1; AES-02 STC 0/1;
        // AES-01 has two types open → "Several types" 0/1.
        var k = Kpi("kpi1-accommodation-by-type");
        Assert.Equal((2, 6), k.Fraction());
        Assert.Equal(
            [("BED_AND_BREAKFAST", 0L, 1L), ("FOSTER_CARE", 1L, 1L), ("LIVING_WITH_PARENTS", 1L, 1L), ("No record", 0L, 1L),
             ("STC", 0L, 1L), ("Several types", 0L, 1L)],
            k.Groups("accommodation-type"));
        Assert.Contains("order-type", k.Breakdowns.Keys);
    }

    [Fact]
    public void Breakdowns_by_age_group_and_sex()
    {
        // Ages at start: AES-01 14, AES-10 13 → 10-14 (0 of 2); AES-02 16, AES-03 16, AES-07 17, AES-08 16 → 15-17 (2 of 4).
        // Sex: female AES-03 (0), AES-08 (1); male AES-01, 02, 07 (1); unknown AES-10 (0).
        var k = Kpi("kpi1-accommodation");
        Assert.Equal([("10-14", 0L, 2L), ("15-17", 2L, 4L)], k.Groups("age-group"));
        Assert.Equal([("Female", 1L, 2L), ("Male", 1L, 3L), ("Unknown", 0L, 1L)], k.Groups("sex"));
    }

    [Fact]
    public void Results_name_the_children_interventions_and_accommodation_drops()
    {
        string[] expected = [Receipts["yot-children"].DropId, Receipts["yot-interventions"].DropId, Receipts["yot-accommodation"].DropId];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Kpi("kpi1-accommodation").SourceDrops);
        Assert.Equal(expected.Order(StringComparer.Ordinal), Kpi("kpi1-accommodation-start").SourceDrops);
    }
}
