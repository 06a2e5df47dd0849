using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Consistency;

/// <summary>
/// Issue 11's concurrency test: several workers (each its own service provider, as separate Functions instances are)
/// sending one YOT's drops interleaved, each drop delivered twice at once as at-least-once triggers do, then draining the
/// recompute queue together, end in the same state as the same drops sent one after another by one worker.
/// </summary>
public sealed class ConcurrencyTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const int Workers = 3;

    /// <summary>The scenario's schools' drops, and a second week from each: their marks never share a pupil, date and session.</summary>
    private static IReadOnlyList<ConsistencyScenario.Drop> Drops { get; } =
    [
        .. ConsistencyScenario.SchoolDrops,
        .. ConsistencyScenario.SchoolDrops.Select((d, i) => new ConsistencyScenario.Drop(d.Provider, d.DropType, Csv(
            [AttendanceHeader, .. Marks(Upn(201 + i), "Weekstone", "2012-01-01", $"1002{i + 1:00}", new DateOnly(2026, 5, 11), "/", "O",
                "/", "/")]), $"week2-{i}.csv")),
    ];

    private async Task CohortAsync(PipelineWorker worker)
    {
        await StorageView.WipeAsync(fixture.Storage);
        await ConsistencyScenario.AgreementsAsync(fixture);
        await ConsistencyScenario.SendAsync(fixture, worker, ConsistencyScenario.Cohort);
        await worker.DrainAsync();
    }

    [Fact]
    public async Task Drops_sent_by_several_workers_at_once_end_as_if_sent_one_after_another()
    {
        await using var one = new PipelineWorker(fixture);
        await CohortAsync(one);
        await ConsistencyScenario.SendAsync(fixture, one, Drops);
        await one.DrainAsync();
        var sequential = await StorageView.UserViewAsync(fixture.Storage);

        await CohortAsync(one);
        var workers = Enumerable.Range(0, Workers).Select(_ => new PipelineWorker(fixture)).ToList();
        try
        {
            foreach (var drop in Drops) await ConsistencyScenario.UploadAsync(fixture, drop);
            // Worker w sends drops w, w+3, …; and each drop is delivered a second time, at once, by the next worker.
            var receipts = await Task.WhenAll(workers.Select(async (worker, w) =>
            {
                var mine = new List<Receipt>();
                for (var i = w; i < Drops.Count; i += Workers)
                    mine.AddRange(await Task.WhenAll(worker.IngestAsync(Drops[i].BlobName), workers[(w + 1) % Workers]
                        .IngestAsync(Drops[i].BlobName)));
                return mine;
            }));
            var all = receipts.SelectMany(r => r).ToList();
            Assert.Equal(Drops.Count, all.Count(r => r.Status == ReceiptStatus.Accepted));
            Assert.Equal(Drops.Count, all.Count(r => r.Status == ReceiptStatus.Duplicate));

            await Task.WhenAll(workers.Select(w => w.DrainAsync()));
            StorageView.AssertSame(sequential, await StorageView.UserViewAsync(fixture.Storage));
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }
    }
}
