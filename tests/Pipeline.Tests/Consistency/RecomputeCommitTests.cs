using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Consistency;

/// <summary>Issue 11 finding 3: one commit point per recompute; an older computation never overwrites a newer one; no stale KPIs after a
/// crash.</summary>
public sealed class RecomputeCommitTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static readonly Quarter Q2 = new(2026, 2);
    private static readonly string Q2Text = Q2.ToString();

    private async Task<PipelineWorker> StartAsync(IEnumerable<ConsistencyScenario.Drop> drops)
    {
        await StorageView.WipeAsync(fixture.Storage);
        await ConsistencyScenario.AgreementsAsync(fixture);
        var worker = new PipelineWorker(fixture);
        foreach (var drop in drops) await SendAsync(worker, drop);
        await worker.DrainAsync();
        return worker;
    }

    private async Task<string> SendAsync(PipelineWorker worker, ConsistencyScenario.Drop drop)
    {
        await ConsistencyScenario.UploadAsync(fixture, drop);
        return (await worker.IngestAsync(drop.BlobName)).DropId;
    }

    /// <summary>The Q2 file and the Q2 table rows, each as (row key, figures, computation stamp), sorted.</summary>
    private async Task<(IReadOnlyList<string> File, IReadOnlyList<string> Table)> StoredAsync()
    {
        var set = await new KpiStore(fixture.Storage).ReadAsync(ConsistencyScenario.Yot, Q2Text, default);
        var file = KpiRow.From(set!)
            .Select(r => $"{r.kpi_id}|{r.breakdown}|{r.group} {r.numerator}/{r.denominator} {r.source_drops} @{r.computation}")
            .Order(StringComparer.Ordinal).ToList();
        var table = new List<string>();
        await foreach (var e in fixture.Storage.Table(StorageNames.KpiResultsTable)
            .QueryAsync<TableEntity>(e => e.PartitionKey == KpiStore.PartitionKey(ConsistencyScenario.Yot, Q2Text)))
            table.Add($"{e.RowKey} {e["Numerator"]}/{e["Denominator"]} {e.GetString("SourceDrops")} @{e.GetInt64(KpiStore.Computation)}");
        return (file, table.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task A_recompute_that_died_between_the_file_and_the_table_is_redone_by_pipeline_kpis_at_once()
    {
        await using var worker = await StartAsync([.. ConsistencyScenario.Cohort, ConsistencyScenario.SchoolDrops[1]]);
        var c = await SendAsync(worker, ConsistencyScenario.SchoolDrops[2]);

        var hook = new FaultHook(FaultPoints.KpiParquetWritten);
        await using var dying = new PipelineWorker(fixture, hook);
        var zombie = dying.Get<KpiRecomputer>().RecomputeAsync(new KpiRecomputeRequest(ConsistencyScenario.Yot, Q2Text), default);
        await hook.Reached;
        hook.Kill();
        await Assert.ThrowsAsync<InjectedCrashException>(() => zombie);
        // The crash left the file newer than the table: not a state anyone may be shown as final.
        var (file, table) = await StoredAsync();
        Assert.NotEqual(file, table);

        // The queue's message for the quarter is gone with the dead worker; `pipeline kpis` recomputes the dirty quarter itself.
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await KpisCommand.ShowAsync(worker.Get<KpiStore>(), worker.Get<KpiRecomputer>(),
            new DisclosureOptions(),
            new KpisRequest(ConsistencyScenario.Yot, Q2Text, Json: true, All: true), output, TextWriter.Null, default));
        Assert.Contains(c, output.ToString());
        (file, table) = await StoredAsync();
        Assert.Equal(file, table);
        Assert.Contains(file, r => r.StartsWith("ete-school-attendance|all|all ", StringComparison.Ordinal)
            && r.Contains(c, StringComparison.Ordinal));
        Assert.Null((await worker.Get<KpiRecomputeMarkers>().DirtyAsync(ConsistencyScenario.Yot, default))
            .FirstOrDefault(m => m.Period == Q2Text));
    }

    [Fact]
    public async Task An_older_computation_finishing_last_never_overwrites_a_newer_one()
    {
        await using var worker = await StartAsync([.. ConsistencyScenario.Cohort, ConsistencyScenario.SchoolDrops[1]]);

        // A slow worker computes Q2 before school C's drop arrives, and stalls before storing.
        var hook = new FaultHook(FaultPoints.KpisComputed);
        await using var slow = new PipelineWorker(fixture, hook);
        var stale = slow.Get<KpiRecomputer>().RecomputeAsync(new KpiRecomputeRequest(ConsistencyScenario.Yot, Q2Text), default);
        await hook.Reached;

        var c = await SendAsync(worker, ConsistencyScenario.SchoolDrops[2]);
        await worker.DrainAsync();
        var newer = await StoredAsync();
        Assert.Contains(newer.File, r => r.StartsWith("ete-school-attendance|all|all ", StringComparison.Ordinal)
            && r.Contains(c, StringComparison.Ordinal));
        var bytes = await fixture.DownloadAsync(StorageNames.KpisContainer, KpiStore.BlobName(ConsistencyScenario.Yot, Q2Text));

        // The slow worker carries on: its results are older than what is stored, so nothing of them is written.
        hook.Resume();
        var returned = await stale;
        Assert.Contains(c, returned.SourceDrops);
        var after = await StoredAsync();
        Assert.Equal(newer.File, after.File);
        Assert.Equal(newer.Table, after.Table);
        Assert.Equal(bytes, await fixture.DownloadAsync(StorageNames.KpisContainer, KpiStore.BlobName(ConsistencyScenario.Yot, Q2Text)));
    }

    [Fact]
    public async Task Many_requests_for_one_quarter_cost_one_recompute()
    {
        await using var worker = await StartAsync(ConsistencyScenario.Cohort);
        foreach (var drop in ConsistencyScenario.SchoolDrops.Skip(1)) await SendAsync(worker, drop);
        var waiting = (await fixture.Storage.Queue(StorageNames.KpiRecomputeQueue).PeekMessagesAsync(32)).Value
            .Count(m => KpiRecomputeRequest.FromJson(m.Body.ToString()).Period == Q2Text);
        Assert.Equal(3, waiting);

        var logged = fixture.Logs.Count(l => l.Contains($"for {Q2Text} recomputed", StringComparison.Ordinal));
        var done = await worker.DrainAsync();
        Assert.Single(done, r => r.Period == Q2Text);
        Assert.Equal(logged + 1, fixture.Logs.Count(l => l.Contains($"for {Q2Text} recomputed", StringComparison.Ordinal)));

        // A message for a clean quarter (redelivered, or one of many) recomputes nothing.
        await worker.Get<KpiRecomputer>().HandleAsync(new KpiRecomputeRequest(ConsistencyScenario.Yot, Q2Text).ToJson(), default);
        Assert.Equal(logged + 1, fixture.Logs.Count(l => l.Contains($"for {Q2Text} recomputed", StringComparison.Ordinal)));
    }
}
