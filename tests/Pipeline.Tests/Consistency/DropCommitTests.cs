using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Consistency;

/// <summary>
/// Issue 11 findings 2, 4, 5 and 6: one commit point per drop, the receipt before it, claims as conditional writes, and
/// a refused drop that can be sent again.
/// </summary>
public sealed class DropCommitTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static readonly Quarter Q2 = new(2026, 2);
    private static ConsistencyScenario.Drop SchoolA => ConsistencyScenario.SchoolDrops[0];

    private async Task<PipelineWorker> StartAsync(ManualClock? clock = null, bool schools = true)
    {
        await StorageView.WipeAsync(fixture.Storage);
        await ConsistencyScenario.AgreementsAsync(fixture);
        var worker = new PipelineWorker(fixture, clock: clock);
        await ConsistencyScenario.SendAsync(fixture, worker,
            schools ? [.. ConsistencyScenario.Cohort, .. ConsistencyScenario.SchoolDrops.Skip(1)] : ConsistencyScenario.Cohort);
        await worker.DrainAsync();
        return worker;
    }

    private static TimeSpan Lease(PipelineWorker worker) => worker.Get<IOptions<IngestionOptions>>().Value.ClaimLease;

    private async Task<IReadOnlyList<string>> CuratedOfAsync(string dropId) =>
        (await fixture.BlobNamesAsync(StorageNames.CuratedContainer)).Where(n => n.EndsWith($"/{dropId}.parquet", StringComparison.Ordinal))
        .ToList();

    [Fact]
    public async Task Finding_2_a_drop_that_died_writing_curated_files_counts_for_nothing_and_the_sweep_removes_them_with_an_audit_row()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var worker = await StartAsync(clock);
        var recomputer = worker.Get<KpiRecomputer>();
        var before = await recomputer.RecomputeAsync(new KpiRecomputeRequest(ConsistencyScenario.Yot, Q2.ToString()), default);

        // School A's drop dies after the first of its two curated files (2026-Q1's): the ledger says "processing".
        var hook = new FaultHook(FaultPoints.CuratedFileWritten);
        await using var dying = new PipelineWorker(fixture, hook, clock);
        await ConsistencyScenario.UploadAsync(fixture, SchoolA);
        var zombie = dying.IngestAsync(SchoolA.BlobName);
        await hook.Reached;
        var dropId = (await fixture.Storage.Table(StorageNames.DropsTable).QueryAsync<TableEntity>(e => e.PartitionKey == SchoolA.Provider)
            .FirstAsync()).RowKey;
        var partial = await CuratedOfAsync(dropId);
        Assert.Equal([$"school-attendance/yot={ConsistencyScenario.Yot}/period=2026-Q1/{dropId}.parquet"], partial);

        // Recomputing now (2026-Q1 is the quarter of the partial file) counts none of it and names none of it.
        foreach (var quarter in new[] { new Quarter(2026, 1), Q2 })
        {
            var set = await recomputer.RecomputeAsync(new KpiRecomputeRequest(ConsistencyScenario.Yot, quarter.ToString()), default);
            Assert.DoesNotContain(dropId, set.SourceDrops);
            if (quarter == Q2) Assert.Equal(Headline(before), Headline(set));
        }
        var committed = await Curated.CommittedCurated.LoadAsync(fixture.Storage, ConsistencyScenario.Yot, default);
        Assert.DoesNotContain(committed.All, b => b.EndsWith($"/{dropId}.parquet", StringComparison.Ordinal));

        // While the claim holds, the file is the live drop's; once it has lapsed, the sweep deletes it and says so.
        Assert.DoesNotContain(await worker.SweepAsync(), o => o.Kind == OrphanKinds.Curated);
        clock.Advance(Lease(worker) + TimeSpan.FromSeconds(1));
        var swept = await worker.SweepAsync();
        Assert.Equal(partial, swept.Where(o => o.Kind == OrphanKinds.Curated).Select(o => o.Name));
        Assert.Empty(await CuratedOfAsync(dropId));
        var audit = await worker.Get<AuditLog>().ForSubjectAsync($"drop-{dropId}", default);
        Assert.Contains(audit, a => a.Actor == OrphanSweep.Actor && a.Detail == $"{StorageNames.CuratedContainer}/{partial[0]}"
            && a.Action.Contains("claim lapsed", StringComparison.Ordinal));

        // The dead worker, woken, cannot commit: the sweep ended its claim.
        hook.Resume();
        var late = await zombie;
        Assert.True(late.InProgress);
        Assert.NotEqual(ReceiptStatus.Accepted, (await worker.Get<DropLedger>()
            .FindAsync(SchoolA.Provider, dropId, default))!.GetString("Status"));

        // Sent again, it counts once, in both its quarters.
        Assert.Equal(ReceiptStatus.Accepted, (await worker.IngestAsync(SchoolA.BlobName)).Status);
        Assert.Equal(2, (await CuratedOfAsync(dropId)).Count);
        await worker.DrainAsync();
        Assert.Contains(dropId, (await worker.Get<KpiStore>().ReadAsync(ConsistencyScenario.Yot, Q2.ToString(), default))!.SourceDrops);
    }

    private static string Headline(KpiSet set) =>
        string.Join(";", set.Kpis.Where(k => k.Id.StartsWith("ete-", StringComparison.Ordinal))
        .Select(k => $"{k.Id}={k.Numerator}/{k.Denominator}"));

    [Fact]
    public async Task Finding_4_the_ledger_never_says_done_before_the_receipt_exists_and_a_lost_receipt_does_not_break_a_resend()
    {
        foreach (var point in new[] { FaultPoints.CuratedWritten, FaultPoints.ReceiptWritten, FaultPoints.DropCommitted })
        {
            await using var worker = await StartAsync(schools: false);
            var hook = new FaultHook(point);
            await using var dying = new PipelineWorker(fixture, hook);
            await ConsistencyScenario.UploadAsync(fixture, SchoolA);
            var zombie = dying.IngestAsync(SchoolA.BlobName);
            await hook.Reached;
            var row = await fixture.Storage.Table(StorageNames.DropsTable).QueryAsync<TableEntity>(e => e.PartitionKey == SchoolA.Provider)
                .FirstAsync();
            var receipt = await fixture.Storage.Container(StorageNames.ReceiptsContainer)
                .GetBlobClient(DropLedger.ReceiptBlobName(row.PartitionKey, row.RowKey)).ExistsAsync();
            Assert.True(!DropLedger.IsCommitted(row) || receipt.Value,
                $"At {point} the ledger says {row.GetString("Status")} with no receipt.");
            hook.Kill();
            await Assert.ThrowsAnyAsync<Exception>(() => zombie);
        }

        // Storage lost a committed drop's receipt: a re-send is still answered duplicate, with the counts the ledger kept.
        var sent = await fixture.IngestAsync(SchoolA.Provider, SchoolA.DropType, SchoolA.Csv, SchoolA.Name);
        Assert.Equal(ReceiptStatus.Duplicate, sent.Status);
        await fixture.Storage.Container(StorageNames.ReceiptsContainer)
            .GetBlobClient(DropLedger.ReceiptBlobName(sent.Provider, sent.DropId)).DeleteAsync();
        var again = await fixture.IngestAsync(SchoolA.Provider, SchoolA.DropType, SchoolA.Csv, SchoolA.Name);
        Assert.Equal((ReceiptStatus.Duplicate, sent.DropId, 12L), (again.Status, again.DropId, again.Rows.Accepted));
    }

    [Fact]
    public async Task Finding_5_the_same_file_sent_twice_at_the_same_moment_is_processed_once_and_answered_duplicate_once()
    {
        await using var first = await StartAsync(schools: false);
        await using var second = new PipelineWorker(fixture);
        foreach (var drop in ConsistencyScenario.SchoolDrops)
        {
            await ConsistencyScenario.UploadAsync(fixture, drop);
            var receipts = await Task.WhenAll(first.IngestAsync(drop.BlobName), second.IngestAsync(drop.BlobName));
            Assert.Equal(1, receipts.Count(r => r.Status == ReceiptStatus.Duplicate));
            Assert.Equal(1, receipts.Count(r => r.Status == ReceiptStatus.Accepted));
        }
    }

    [Fact]
    public async Task Finding_5_a_claim_in_progress_answers_duplicate_a_crashed_one_is_taken_over_once_its_lease_has_run_out()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var worker = await StartAsync(clock, schools: false);
        var hook = new FaultHook(FaultPoints.DropClaimed);
        await using var dying = new PipelineWorker(fixture, hook, clock);
        await ConsistencyScenario.UploadAsync(fixture, SchoolA);
        var zombie = dying.IngestAsync(SchoolA.BlobName);
        await hook.Reached;

        var during = await worker.IngestAsync(SchoolA.BlobName);
        Assert.Equal((ReceiptStatus.Duplicate, true, 0L), (during.Status, during.InProgress, during.Rows.Read));
        clock.Advance(Lease(worker) - TimeSpan.FromSeconds(1));
        Assert.True((await worker.IngestAsync(SchoolA.BlobName)).InProgress);
        clock.Advance(TimeSpan.FromSeconds(2));
        var taken = await worker.IngestAsync(SchoolA.BlobName);
        Assert.Equal((ReceiptStatus.Accepted, 12L), (taken.Status, taken.Rows.Accepted));

        // The crashed worker, had it only stalled, finds its claim taken over and writes nothing more.
        var before = await StorageView.UserViewAsync(fixture.Storage);
        hook.Resume();
        Assert.True((await zombie).InProgress);
        StorageView.AssertSame(before, await StorageView.UserViewAsync(fixture.Storage));
    }

    [Fact]
    public async Task Finding_5_a_failed_attempt_gives_its_claim_up_so_the_retry_does_not_wait_for_the_lease()
    {
        await using var worker = await StartAsync(schools: false);
        var hook = new FaultHook(FaultPoints.CuratedFileWritten);
        hook.Kill();
        await using var failing = new PipelineWorker(fixture, hook);
        await ConsistencyScenario.UploadAsync(fixture, SchoolA);
        await Assert.ThrowsAsync<InjectedCrashException>(() => failing.IngestAsync(SchoolA.BlobName));
        Assert.Equal(ReceiptStatus.Accepted, (await worker.IngestAsync(SchoolA.BlobName)).Status);
    }

    [Fact]
    public async Task Finding_6_a_file_refused_for_a_wrong_type_is_accepted_when_sent_under_the_right_one()
    {
        await using var worker = await StartAsync(schools: false);
        var wrong = await fixture.IngestAsync(SchoolA.Provider, "school-exclusions", SchoolA.Csv, SchoolA.Name);
        Assert.Equal(ReceiptStatus.Rejected, wrong.Status);
        var right = await fixture.IngestAsync(SchoolA.Provider, SchoolA.DropType, SchoolA.Csv, SchoolA.Name);
        Assert.Equal((ReceiptStatus.Accepted, 12L), (right.Status, right.Rows.Accepted));
        Assert.NotEqual(wrong.DropId, right.DropId);
        // Both receipts stay, each at receipts/{provider}/{dropId}.json.
        var receipts = await fixture.BlobNamesAsync(StorageNames.ReceiptsContainer, $"{SchoolA.Provider}/");
        Assert.Contains($"{SchoolA.Provider}/{wrong.DropId}.json", receipts);
        Assert.Contains($"{SchoolA.Provider}/{right.DropId}.json", receipts);
    }

    [Fact]
    public async Task Finding_6_a_file_refused_before_its_agreement_was_loaded_is_accepted_when_sent_again()
    {
        await StorageView.WipeAsync(fixture.Storage);
        await using var worker = new PipelineWorker(fixture);
        const string provider = "school-late-isa";
        const string yot = "yot-late-isa";
        await fixture.AddAgreementAsync(Agreement("yot-late-isa-case", yot, ["yot-children"], kind: "yot"));
        await fixture.IngestAsync("yot-late-isa-case", "yot-children", ConsistencyScenario.Cohort[0].Csv);
        var csv = ConsistencyScenario.SchoolDrops[1].Csv;

        var refused = await fixture.IngestAsync(provider, "school-attendance", csv, "late.csv");
        Assert.Equal(ReceiptStatus.Rejected, refused.Status);
        Assert.Contains("agreement-unknown-provider", refused.ErrorCounts.Keys);

        await fixture.AddAgreementAsync(Agreement(provider, yot, ["school-attendance"]));
        var accepted = await fixture.IngestAsync(provider, "school-attendance", csv, "late.csv");
        Assert.Equal((ReceiptStatus.Accepted, refused.DropId, 6L), (accepted.Status, accepted.DropId, accepted.Rows.Accepted));
        var stored = ReceiptJson.Deserialize(System.Text.Encoding.UTF8.GetString(
            await fixture.DownloadAsync(StorageNames.ReceiptsContainer, DropLedger.ReceiptBlobName(provider, accepted.DropId))));
        Assert.Equal(ReceiptStatus.Accepted, stored.Status);
        // Both attempts are on the audit trail; the refusal is not rewritten.
        var steps = (await worker.Get<AuditLog>().ForSubjectAsync($"drop-{accepted.DropId}", default)).Select(a => (a.Step, a.Action))
            .ToList();
        Assert.Contains(("1-gate", "refused: agreement-unknown-provider"), steps);
        Assert.Contains(steps, s => s.Step == "1-gate-attempt2" && s.Action.StartsWith("accepted", StringComparison.Ordinal));

        // Accepted now, the same file again is a duplicate.
        Assert.Equal(ReceiptStatus.Duplicate, (await fixture.IngestAsync(provider, "school-attendance", csv, "late.csv")).Status);
    }
}

internal static class AsyncPageableExtensions
{
    public static async Task<T> FirstAsync<T>(this Azure.AsyncPageable<T> pageable) where T : notnull
    {
        await foreach (var item in pageable) return item;
        throw new InvalidOperationException("Empty.");
    }
}
