using Azure.Data.Tables;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Retention;

/// <summary>
/// Retention against Azurite with a moved clock: a school whose agreement keeps raw drops 10 days, quarantine 5 and
/// curated rows 20; a second school and the YOT keep everything for years. The run is asked "as of" days ahead.
/// </summary>
public sealed class RetentionTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Yot = "yot-ret";
    private const string YotProvider = "yot-ret-case";
    private const string Short = "school-ret-short";
    private const string Long = "school-ret-long";

    private RetentionJob Job => fixture.Pipeline.Get<RetentionJob>();

    private static Agreement Keeping(Agreement a, int raw, int quarantine, int curated) =>
        a with { Retention = new RetentionPolicy { RawDropDays = raw, QuarantineDays = quarantine, CuratedDays = curated } };

    [Fact]
    public async Task Dry_run_lists_what_is_due_apply_deletes_it_with_an_audit_row_each_and_a_second_run_deletes_nothing()
    {
        var t0 = fixture.Pipeline.Get<TimeProvider>().GetUtcNow();
        await fixture.AddAgreementAsync(Keeping(Agreement(YotProvider, Yot, ["yot-children", "yot-interventions"], kind: "yot"), 3650, 3650,
            3650));
        await fixture.AddAgreementAsync(Keeping(Agreement(Short, Yot, ["school-attendance"]), raw: 10, quarantine: 5, curated: 20));
        await fixture.AddAgreementAsync(Keeping(Agreement(Long, Yot, ["school-attendance"]), 365, 365, 3650));
        await fixture.IngestAsync(YotProvider, "yot-children", HandCheckedScenario.Children);
        await fixture.IngestAsync(YotProvider, "yot-interventions", HandCheckedScenario.Interventions);
        var accepted = await fixture.IngestAsync(Short, "school-attendance", HandCheckedScenario.SchoolAAttendance, "term-summer-ret.csv");
        var refused = await fixture.IngestAsync(Short, "school-attendance", Csv("not,an,attendance,file", "1,2,3,4"), "refused-ret.csv");
        var kept = await fixture.IngestAsync(Long, "school-attendance", HandCheckedScenario.SchoolBAttendance, "term-summer-ret.csv");
        await fixture.DrainQueueAsync();
        Assert.Equal((ReceiptStatus.Accepted, ReceiptStatus.Rejected), (accepted.Status, refused.Status));
        var curatedFile = $"school-attendance/yot={Yot}/period=2026-Q2/{accepted.DropId}.parquet";
        Assert.Contains(curatedFile, await fixture.BlobNamesAsync(StorageNames.CuratedContainer));

        // Nothing is due the day after.
        Assert.True((await Job.PlanAsync(t0.AddDays(1), default)).IsEmpty);

        // 12 days on: the short school's two raw drops (10 days) and the refused drop's quarantine folder (5 days).
        var day12 = t0.AddDays(12);
        var before = await fixture.SnapshotAsync();
        var plan = await Job.PlanAsync(day12, default);
        Assert.Equal(before, await fixture.SnapshotAsync()); // the dry run deletes, audits and asks nothing
        Assert.Equal(
            new[] { (RetentionKinds.RawDrop, accepted.DropId), (RetentionKinds.RawDrop, refused.DropId),
                (RetentionKinds.Quarantine, refused.DropId) }.Order(),
            plan.Deletions.Select(d => (d.Kind, d.DropId)).Order());
        Assert.All(plan.Deletions, d => Assert.Equal((Short, $"ISA-{Short}"), (d.Provider, d.Agreement)));
        Assert.Empty(plan.Kept);

        var result = await Job.ApplyAsync(plan, default);
        Assert.Empty(result.Recomputes);
        var drops = await fixture.BlobNamesAsync(StorageNames.DropsContainer);
        Assert.DoesNotContain(drops, n => n.StartsWith($"{Short}/", StringComparison.Ordinal));
        Assert.Contains($"{Long}/school-attendance/term-summer-ret.csv", drops);
        Assert.Contains(drops, n => n.StartsWith($"{YotProvider}/", StringComparison.Ordinal));
        Assert.Empty(await fixture.BlobNamesAsync(StorageNames.QuarantineContainer, $"{refused.DropId}/"));
        Assert.Contains(curatedFile, await fixture.BlobNamesAsync(StorageNames.CuratedContainer)); // curated keeps 20 days
        Assert.Contains($"{Short}/{accepted.DropId}.json", await fixture.BlobNamesAsync(StorageNames.ReceiptsContainer));

        var audit = fixture.Pipeline.Get<AuditLog>();
        var deletions = (await audit.QueryAsync(t0, cancellationToken: default)).Where(e => e.Actor == RetentionJob.Actor).ToList();
        Assert.Equal(3, deletions.Count);
        Assert.All(deletions, e => Assert.Equal((day12, $"ISA-{Short}"), (e.At, e.Agreement)));
        Assert.Equal(accepted.Rows.Read, deletions.Single(e => e.Subject == $"drop-{accepted.DropId}").Rows);
        // no sender file names
        Assert.DoesNotContain(deletions, e => $"{e.Action} {e.Detail}".Contains("term-summer", StringComparison.Ordinal));

        var ledger = fixture.Storage.Table(StorageNames.DropsTable);
        var row = (await ledger.GetEntityAsync<TableEntity>(Short, accepted.DropId)).Value;
        Assert.Equal(day12, row.GetDateTimeOffset(RetentionJob.RawDeletedAt));
        Assert.Null(row.GetDateTimeOffset(RetentionJob.CuratedDeletedAt));
        Assert.Equal(day12, (await ledger.GetEntityAsync<TableEntity>(Short, refused.DropId))
            .Value.GetDateTimeOffset(RetentionJob.QuarantineDeletedAt));

        // The same day again: nothing more.
        var afterFirst = await fixture.SnapshotAsync();
        await Job.RunAsync(day12, default);
        Assert.Equal(afterFirst, await fixture.SnapshotAsync());

        // 25 days on: the accepted drop's curated file (20 days); the long school's file stays.
        var day25 = t0.AddDays(25);
        plan = await Job.PlanAsync(day25, default);
        var curated = Assert.Single(plan.Deletions);
        Assert.Equal((RetentionKinds.Curated, curatedFile, "2026-Q2", Yot),
            (curated.Kind, curated.Blobs.Single(), curated.Period, curated.Yot));
        Assert.Equal(accepted.Rows.Accepted, curated.Rows);

        result = await Job.ApplyAsync(plan, default);
        Assert.Equal([(Yot, "2026-Q2")], result.Recomputes);
        var curatedNow = await fixture.BlobNamesAsync(StorageNames.CuratedContainer);
        Assert.DoesNotContain(curatedFile, curatedNow);
        Assert.Contains($"school-attendance/yot={Yot}/period=2026-Q2/{kept.DropId}.parquet", curatedNow);
        Assert.Equal(day25, (await ledger.GetEntityAsync<TableEntity>(Short, accepted.DropId))
            .Value.GetDateTimeOffset(RetentionJob.CuratedDeletedAt));
        var curatedAudit = Assert.Single(await audit.ForSubjectAsync($"drop-{accepted.DropId}", default), e =>
            e.Step.StartsWith("retention-curated", StringComparison.Ordinal));
        Assert.Equal((RetentionJob.Actor, accepted.Rows.Accepted, day25), (curatedAudit.Actor, curatedAudit.Rows, curatedAudit.At));

        // The recompute the run asked for: the quarter's KPIs no longer count the deleted drop.
        Assert.Equal([new KpiRecomputeRequest(Yot, "2026-Q2")], await fixture.DrainQueueAsync());
        var set = await fixture.Pipeline.Get<KpiStore>().ReadAsync(Yot, "2026-Q2", default);
        Assert.NotNull(set);
        Assert.DoesNotContain(accepted.DropId, set.SourceDrops);

        var afterSecond = await fixture.SnapshotAsync();
        await Job.RunAsync(day25, default);
        await Job.RunAsync(day25.AddDays(1), default);
        Assert.Equal(afterSecond, await fixture.SnapshotAsync());
    }
}
