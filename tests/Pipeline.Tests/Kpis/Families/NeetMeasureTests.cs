using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>The board's NEET measure on <see cref="AccommodationEteSendScenario"/>, worked out by hand.</summary>
public sealed class NeetMeasureTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-neet";

    protected override Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync() =>
        AccommodationEteSendScenario.LoadAsync(Fixture, Yot);

    [Fact]
    public void Above_school_age_with_NONE_or_no_record_at_the_end_of_the_order()
    {
        // Above school age at the end (16 or over on 31 August 2025): AES-02, AES-07, AES-08. AES-03 (born September
        // 2009) is 16 by the end of her order but was 15 on 31 August 2025: school age, not counted.
        // AES-02: no ETE record open on 2026-06-30 → NEET.  AES-07: NONE open on 2026-04-30 → NEET.
        // AES-08: part-time employment → not NEET.  AES-04 (18 at start) and AES-09 (ends 1 July) have no ETE but are
        // not in the population.  2 of 3.
        var k = Kpi("ete-neet-end");
        Assert.Equal((2, 3), k.Fraction());
        Assert.Equal([("Custodial sentence", 1L, 1L), ("Referral order", 0L, 1L), ("Youth caution", 1L, 1L)], k.Groups("order-type"));
        string[] expected = [Receipts["yot-children"].DropId, Receipts["yot-interventions"].DropId, Receipts["yot-ete"].DropId];
        Assert.Equal(expected.Order(StringComparer.Ordinal), k.SourceDrops);
    }
}
