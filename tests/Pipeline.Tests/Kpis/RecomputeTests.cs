using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>
/// Recompute on arrival (issue 4 item 4): a drop enqueues {yot, period} for every quarter it touches, once each; the
/// queue-triggered recomputer recomputes them; recomputing is deterministic and safe twice or at once.
/// </summary>
public sealed class RecomputeTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    // Drops arrive today (2026-11-23 or later); the window is the 8 quarters up to the arrival quarter.
    private static readonly Quarter Arrival = Quarter.Of(DateOnly.FromDateTime(DateTime.UtcNow));

    private static IEnumerable<Quarter> Window()
    {
        var q = Arrival;
        for (var i = 0; i < 8; i++, q = q.Previous()) yield return q;
    }

    private static IEnumerable<Quarter> From(Quarter first)
    {
        for (var q = Arrival; q >= first; q = q.Previous()) yield return q;
    }

    private async Task<string> StartYotAsync(string yot)
    {
        var provider = $"{yot}-case";
        await fixture.AddAgreementAsync(Agreement(provider, yot, ["yot-children", "yot-interventions", "yot-accommodation"], kind: "yot"));
        return provider;
    }

    private static string Children(string prefix) => Csv(ChildrenHeader,
        $"{prefix}-0001,,,Rowantree,Kit,2011-05-10,1,WBRI,,Y",
        $"{prefix}-0002,,,Marchbanks,Lou,2010-09-03,2,BAFR,,Y");

    /// <summary>The kpi-recompute messages waiting, without taking them.</summary>
    private async Task<IReadOnlyList<KpiRecomputeRequest>> WaitingAsync()
    {
        var peeked = (await fixture.Storage.Queue(StorageNames.KpiRecomputeQueue).PeekMessagesAsync(32)).Value;
        return peeked.Select(m => KpiRecomputeRequest.FromJson(m.Body.ToString())).ToList();
    }

    private async Task<IReadOnlyList<string>> ResultsSnapshotAsync(string yot) =>
        (await fixture.SnapshotAsync()).Where(l => l.StartsWith($"blob {StorageNames.KpisContainer}/yot={yot}/", StringComparison.Ordinal)
                                                || l.StartsWith($"row {StorageNames.KpiResultsTable}/{yot}|", StringComparison.Ordinal))
                                                    .ToList();

    [Fact]
    public async Task An_order_ending_in_2026_Q1_enqueues_that_quarter_and_the_recomputer_computes_it()
    {
        const string yot = "yot-rc-order";
        var provider = await StartYotAsync(yot);
        await fixture.IngestAsync(provider, "yot-children", Children("RCO"));
        await fixture.DrainQueueAsync();

        // A YRO from 2025-11-10 to 2026-02-16: the caseload of 2025-Q4 and 2026-Q1, and 2026-Q1's orders ending. The
        // interventions file itself is filed under the arrival quarter (yot-interventions is partitioned by arrival).
        await fixture.IngestAsync(provider, "yot-interventions",
            Csv(InterventionsHeader, "RCO-0001,I-1,YRO,2025-11-05,2025-11-10,2026-02-16,N,"));

        var waiting = await WaitingAsync();
        Assert.Equal(waiting.Count, waiting.Distinct().Count());   // each {yot, period} once per drop
        Assert.All(waiting, r => Assert.Equal(yot, r.Yot));
        var expected = new[] { new Quarter(2025, 4), new Quarter(2026, 1) }.Where(q => Window().Contains(q)).Append(Arrival).Distinct()
            .Order();
        Assert.Equal(expected.Select(q => q.ToString()), waiting.Select(r => r.Period).Order(StringComparer.Ordinal));
        Assert.Contains(waiting, r => r.Period == "2026-Q1");

        var done = await fixture.DrainQueueAsync();
        Assert.Contains(new KpiRecomputeRequest(yot, "2026-Q1"), done);
        var set = await fixture.Pipeline.Get<KpiStore>().ReadAsync(yot, "2026-Q1", default);
        Assert.NotNull(set);
        // One child with an order ending in the quarter (RCO-0001, 14 at the start).
        Assert.Equal(1, Assert.Single(set.Kpis, k => k.Id == "kpi1-accommodation").Denominator);
    }

    [Fact]
    public async Task A_long_placement_touches_every_quarter_it_spans_within_the_last_eight()
    {
        const string yot = "yot-rc-placement";
        var provider = await StartYotAsync(yot);
        await fixture.IngestAsync(provider, "yot-children", Children("RCP"));
        await fixture.DrainQueueAsync();

        // Row 1 closed long ago: only its own curated file's quarter (2023-Q1, partitioned by start_date).
        // Row 2 still open: from 2025-Q4 to the arrival quarter, each one.
        await fixture.IngestAsync(provider, "yot-accommodation", Csv("yot_case_ref,start_date,end_date,accommodation_type,suitability",
            "RCP-0002,2023-03-01,2024-01-31,FOSTER_CARE,SUITABLE",
            "RCP-0002,2025-12-01,,LIVING_WITH_FAMILY,SUITABLE"));

        var waiting = await WaitingAsync();
        var expected = From(new Quarter(2025, 4)).Where(q => Window().Contains(q)).Append(new Quarter(2023, 1))
            .Append(Quarter.Of(new DateOnly(2025, 12, 1)));
        Assert.Equal(expected.Distinct().Order().Select(q => q.ToString()), waiting.Select(r => r.Period).Order(StringComparer.Ordinal));
        Assert.Equal(waiting.Count, waiting.Distinct().Count());
        await fixture.DrainQueueAsync();
    }

    [Fact]
    public async Task A_child_record_touches_the_quarters_of_that_childs_orders()
    {
        const string yot = "yot-rc-child";
        var provider = await StartYotAsync(yot);
        await fixture.IngestAsync(provider, "yot-children", Children("RCC"));
        await fixture.IngestAsync(provider, "yot-interventions",
            Csv(InterventionsHeader, "RCC-0002,I-1,REFERRAL_ORDER,2026-04-01,2026-04-02,2026-08-20,N,"));
        await fixture.DrainQueueAsync();

        // A corrected ethnicity for RCC-0002 changes the breakdowns of 2026-Q2 and Q3 (the referral order's quarters).
        await fixture.IngestAsync(provider, "yot-children", Csv(ChildrenHeader, "RCC-0002,,,Marchbanks,Lou,2010-09-03,2,BCRB,,Y"));

        var waiting = await WaitingAsync();
        Assert.Equal(new[] { new Quarter(2026, 2), new Quarter(2026, 3), Arrival }.Distinct().Order().Select(q => q.ToString()),
            waiting.Select(r => r.Period).Order(StringComparer.Ordinal));
        await fixture.DrainQueueAsync();
    }

    [Fact]
    public async Task Recomputing_twice_and_twice_at_once_leaves_byte_identical_results()
    {
        const string yot = "yot-rc-twice";
        var provider = await StartYotAsync(yot);
        await fixture.IngestAsync(provider, "yot-children", Children("RCT"));
        await fixture.IngestAsync(provider, "yot-interventions", Csv(InterventionsHeader,
            "RCT-0001,I-1,YRO,2026-01-05,2026-01-06,2026-03-20,N,",
            "RCT-0002,I-2,YOUTH_CAUTION,2026-02-01,2026-02-02,2026-03-31,N,Y"));
        await fixture.IngestAsync(provider, "yot-accommodation", Csv("yot_case_ref,start_date,end_date,accommodation_type,suitability",
            "RCT-0001,2025-06-01,,LIVING_WITH_PARENTS,SUITABLE"));
        await fixture.DrainQueueAsync();

        var recomputer = fixture.Pipeline.Get<KpiRecomputer>();
        var request = new KpiRecomputeRequest(yot, "2026-Q1");
        var first = await ResultsSnapshotAsync(yot);
        Assert.Contains(first, l => l.Contains("period=2026-Q1/kpis.parquet", StringComparison.Ordinal));

        // Through the queue trigger's entry point, as the Functions host calls it.
        await recomputer.HandleAsync(request.ToJson(), default);
        var again = await ResultsSnapshotAsync(yot);
        Assert.Equal(first, again);

        await Task.WhenAll(recomputer.RecomputeAsync(request, default), recomputer.RecomputeAsync(request, default));
        Assert.Equal(first, await ResultsSnapshotAsync(yot));
    }
}
