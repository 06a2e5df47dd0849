using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Consistency;

/// <summary>
/// Issue 11's fault-injection suite. A worker is stopped at each named point of a drop and of a recompute, as if the
/// process died there (it is held at the point, never resumed, so nothing after it runs: no timing involved). Then the
/// pipeline recovers as it would in service: the drop is delivered again after its claim has lapsed (the clock is
/// moved past the lease), the queue is drained, the sweep runs. What a user sees then must be exactly what one clean
/// run leaves: the same receipts, ledger, curated rows, audit trail and recompute markers, and KPI results byte for byte
/// (times and ETags aside). Finally the stopped worker is let go (it throws where it stood) and nothing changes.
/// </summary>
public sealed class FaultInjectionTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    public static TheoryData<string, int> DropPoints()
    {
        var data = new TheoryData<string, int>();
        // School A's drop (index 3) writes two curated files, so "mid curated write" leaves one of them.
        foreach (var point in FaultPoints.Drop) data.Add(point, 3);
        // The cohort itself dying half-way: nothing links to an uncommitted child.
        data.Add(FaultPoints.CuratedWritten, 0);
        data.Add(FaultPoints.DropCommitted, 0);
        return data;
    }

    [Theory]
    [MemberData(nameof(DropPoints))]
    public async Task A_drop_stopped_at_any_point_and_delivered_again_converges_to_one_clean_run(string point, int dropIndex)
    {
        var clean = await ConsistencyScenario.CleanRunAsync(fixture);

        await StorageView.WipeAsync(fixture.Storage);
        await ConsistencyScenario.AgreementsAsync(fixture);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var hook = new FaultHook(point);
        await using var dying = new PipelineWorker(fixture, hook, clock);
        await using var worker = new PipelineWorker(fixture, clock: clock);
        var drops = ConsistencyScenario.All;
        await ConsistencyScenario.SendAsync(fixture, worker, drops.Take(dropIndex));

        var stopped = drops[dropIndex];
        await ConsistencyScenario.UploadAsync(fixture, stopped);
        var zombie = dying.IngestAsync(stopped.BlobName);
        Assert.Same(hook.Reached, await Task.WhenAny(hook.Reached, zombie));

        // Delivered again while the dead worker's claim still holds: answered duplicate, nothing done twice.
        var early = await worker.IngestAsync(stopped.BlobName);
        Assert.Equal(ReceiptStatus.Duplicate, early.Status);
        Assert.Equal(point != FaultPoints.DropCommitted, early.InProgress);

        // Once the claim has lapsed, the next delivery carries the drop through (or, committed, asks for its recompute).
        clock.Advance(worker.Get<Microsoft.Extensions.Options.IOptions<IngestionOptions>>().Value.ClaimLease + TimeSpan.FromMinutes(1));
        var retried = await worker.IngestAsync(stopped.BlobName);
        Assert.Equal(point == FaultPoints.DropCommitted, retried.Status == ReceiptStatus.Duplicate);
        await ConsistencyScenario.SendAsync(fixture, worker, drops.Skip(dropIndex + 1));
        await AssertConvergedAsync(worker, hook, zombie, clean);
    }

    public static TheoryData<string> RecomputePoints()
    {
        var data = new TheoryData<string>();
        foreach (var point in FaultPoints.Recompute) data.Add(point);
        return data;
    }

    [Theory]
    [MemberData(nameof(RecomputePoints))]
    public async Task A_recompute_stopped_at_any_point_is_redone_at_once_and_converges_to_one_clean_run(string point)
    {
        var clean = await ConsistencyScenario.CleanRunAsync(fixture);
        var cleanQ2 = await CurrentQ2Async(new PipelineWorker(fixture));

        await StorageView.WipeAsync(fixture.Storage);
        await ConsistencyScenario.AgreementsAsync(fixture);
        await using var worker = new PipelineWorker(fixture);
        await ConsistencyScenario.SendAsync(fixture, worker, ConsistencyScenario.All);
        var hook = new FaultHook(point);
        await using var dying = new PipelineWorker(fixture, hook);
        var zombie = dying.DrainAsync();
        Assert.Same(hook.Reached, await Task.WhenAny(hook.Reached, zombie));

        // No waiting for the dead worker's queue messages: `pipeline kpis` shows the figures of a clean run at once.
        Assert.Equal(cleanQ2, await CurrentQ2Async(worker));
        await AssertConvergedAsync(worker, hook, zombie, clean);
    }

    /// <summary>
    /// Once the surviving worker has drained the queue and run the sweep, storage is that of a clean run, and stays so
    /// after the stopped worker is let go: it can write nothing more.
    /// </summary>
    private async Task AssertConvergedAsync(PipelineWorker worker, FaultHook hook, Task zombie, IReadOnlyList<string> clean)
    {
        await worker.DrainAsync();
        await worker.SweepAsync();
        StorageView.AssertSame(clean, await StorageView.UserViewAsync(fixture.Storage));

        hook.Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => zombie);
        StorageView.AssertSame(clean, await StorageView.UserViewAsync(fixture.Storage));
    }

    /// <summary>What <c>pipeline kpis --json</c> prints for 2026-Q2, as stored (a fresh computation also lists empty breakdowns).</summary>
    private static async Task<string> CurrentQ2Async(PipelineWorker worker)
    {
        var set = await worker.Get<KpiRecomputer>().CurrentAsync(ConsistencyScenario.Yot, new Quarter(2026, 2), default);
        return YouthJustice.Pipeline.Cli.Output.JsonOutput.Kpis(KpiRow.ToSet(set.Yot, set.Period, KpiRow.From(set).ToList()));
    }
}
