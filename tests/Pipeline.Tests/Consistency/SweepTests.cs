using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Consistency;

/// <summary>Staged temporary files: removed on every path of a drop, and the sweep removes the ones a killed process left.</summary>
public sealed class SweepTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task A_drop_that_fails_mid_way_leaves_no_staged_file_behind()
    {
        await using var worker = await CohortSentAsync();

        // At the fault, the two quarters of the school's drop are in the class's staging folder (its own, so no other
        // class's retention run sweeps them meanwhile).
        var drop = ConsistencyScenario.SchoolDrops[0];
        IReadOnlyList<string> during = [];
        var hook = new CapturingFault(FaultPoints.CuratedFileWritten, () => during = StagedFiles());
        await using var failing = new PipelineWorker(fixture, hook);
        await ConsistencyScenario.UploadAsync(fixture, drop);
        await Assert.ThrowsAsync<InjectedCrashException>(() => failing.IngestAsync(drop.BlobName));
        Assert.Equal(2, during.Count);
        Assert.Empty(StagedFiles());
    }

    [Fact]
    public async Task A_drop_sent_again_is_read_before_it_is_known_for_a_duplicate_and_leaves_no_staged_file_behind()
    {
        await using var worker = await CohortSentAsync();
        var drop = ConsistencyScenario.SchoolDrops[0];
        await ConsistencyScenario.UploadAsync(fixture, drop);
        var first = await worker.IngestAsync(drop.BlobName);

        // The id is the hash of every byte, so the rows are staged before the claim says the drop was done already.
        var again = await worker.IngestAsync(drop.BlobName);

        Assert.Equal(ReceiptStatus.Duplicate, again.Status);
        Assert.Equal((first.DropId, first.Rows.Accepted), (again.DropId, again.Rows.Accepted));
        Assert.Empty(StagedFiles());
    }

    [Fact]
    public async Task The_retention_run_sweeps_staged_files_older_than_a_claim_with_an_audit_row_each_and_keeps_young_ones()
    {
        var old = Path.Combine(StagedParquetFile.CreateStagingDirectory(fixture.StagingDirectory), $"yjp-{Guid.NewGuid():N}.parquet");
        var young = Path.Combine(fixture.StagingDirectory, $"yjp-{Guid.NewGuid():N}.parquet");
        await File.WriteAllBytesAsync(old, [1, 2, 3]);
        await File.WriteAllBytesAsync(young, [1, 2, 3]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-3));
        try
        {
            var job = fixture.Pipeline.Get<RetentionJob>();
            var plan = await job.PlanAsync(DateTimeOffset.UtcNow, default);
            Assert.Contains(plan.Sweep!.Orphans, o => o.Kind == OrphanKinds.Staged && o.Name == Path.GetFileName(old));
            Assert.DoesNotContain(plan.Sweep.Orphans, o => o.Name == Path.GetFileName(young));
            Assert.True(File.Exists(old)); // planning deletes nothing

            var result = await job.ApplyAsync(plan, default);
            Assert.Contains(result.Swept!, o => o.Name == Path.GetFileName(old));
            Assert.False(File.Exists(old));
            Assert.True(File.Exists(young));
            var audit = await fixture.Pipeline.Get<AuditLog>().ForSubjectAsync("sweep-staged", default);
            Assert.Contains(audit, a => a.Actor == OrphanSweep.Actor && a.Detail == Path.GetFileName(old));
        }
        finally
        {
            File.Delete(old);
            File.Delete(young);
        }
    }

    /// <summary>A clean account with the scenario's agreements and the YOT's cohort sent, and the worker that sent it.</summary>
    private async Task<PipelineWorker> CohortSentAsync()
    {
        await StorageView.WipeAsync(fixture.Storage);
        await ConsistencyScenario.AgreementsAsync(fixture);
        var worker = new PipelineWorker(fixture);
        await ConsistencyScenario.SendAsync(fixture, worker, ConsistencyScenario.Cohort);
        return worker;
    }

    private IReadOnlyList<string> StagedFiles() =>
        Directory.Exists(fixture.StagingDirectory) ? Directory.GetFiles(fixture.StagingDirectory) : [];

    /// <summary>Looks at the world at a fault point, then fails there.</summary>
    private sealed class CapturingFault(string at, Action look) : IFaultInjector
    {
        public ValueTask AtAsync(string point, CancellationToken cancellationToken)
        {
            if (point != at) return ValueTask.CompletedTask;
            look();
            throw new InjectedCrashException(point);
        }
    }
}
