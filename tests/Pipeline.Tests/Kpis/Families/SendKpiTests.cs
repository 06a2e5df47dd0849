using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>KPI 3 on <see cref="AccommodationEteSendScenario"/>, worked out by hand. Population: AES-01, 02, 03, 07, 08, 10.</summary>
public sealed class SendKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi3";

    protected override Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync() =>
        AccommodationEteSendScenario.LoadAsync(Fixture, Yot);

    [Fact]
    public void Formal_plan_among_children_with_an_identified_need_at_end()
    {
        // SEND record open at the order's end with an identified need: AES-01 (EHCP), AES-02 (no plan), AES-08 (IDP),
        // AES-10 (no plan). AES-07's need-and-EHCP record ended 2026-03-31; the one open on 2026-04-30 has no need.
        // AES-03 has no record. The excluded children all have an EHCP and are not counted.
        // Need and plan: AES-01, AES-08 → 2 of 4.
        var k = Kpi("kpi3-send");
        Assert.Equal((2, 4), k.Fraction());
        Assert.Equal([("Female", 1L, 1L), ("Male", 1L, 2L), ("Unknown", 0L, 1L)], k.Groups("sex"));
        string[] expected = [Receipts["yot-children"].DropId, Receipts["yot-interventions"].DropId, Receipts["yot-send"].DropId];
        Assert.Equal(expected.Order(StringComparer.Ordinal), k.SourceDrops);
    }

    [Fact]
    public void Identified_need_among_children_with_an_order_ending()
    {
        // AES-01, 02, 08, 10 of the six.
        Assert.Equal((4, 6), Kpi("kpi3-send-identified").Fraction());
    }

    [Fact]
    public void Children_with_an_identified_need_in_suitable_ETE_at_end()
    {
        // AES-01 school SUITABLE → 1; AES-02 no ETE record at end → 0; AES-08 employment SUITABLE → 1; AES-10 UNKNOWN → 0.
        var k = Kpi("kpi3-send-suitable-ete");
        Assert.Equal((2, 4), k.Fraction());
        Assert.Contains(Receipts["yot-ete"].DropId, k.SourceDrops);
    }
}
