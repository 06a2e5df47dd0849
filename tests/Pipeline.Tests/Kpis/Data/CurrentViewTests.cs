using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis.Data;

/// <summary>
/// Issue 15 items 1 and 2: the KPI engine reads each YOT's current view, folded forward as the YOT re-sends its
/// extract, and gets exactly what reading every extract gets, for the demo plus re-sends with changes, and after
/// retention deletes one extract's curated data; once up to date the view is one blob per drop type whatever the
/// history. Many recompute nudges for one extract cost one recompute per quarter, all from one pass over the YOT's data.
/// </summary>
public sealed class CurrentViewTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("view-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Quarter[] Quarters = [.. Enumerable.Range(0, 10)
        .Select(i => Quarter.Of(new DateOnly(2024, 7, 1).AddMonths(3 * i)))];

    private async Task<IReadOnlyList<DemoDrop>> SendDemoAsync()
    {
        foreach (var a in DemoData.Agreements()) await fixture.AddAgreementAsync(a);
        var drops = DemoData.Write(_folder);
        foreach (var d in drops) await IngestCommand.UploadAndIngestAsync(fixture.Pipeline, d.Path, d.Provider, d.DropType, default);
        return drops;
    }

    /// <summary>
    /// The YOT's extract sent again with changes, as a case system's monthly export would differ: some rows gone (a
    /// child's history now shorter, a record withdrawn), the rest in another order (so line numbers change).
    /// </summary>
    private async Task ResendAsync(DemoDrop drop, int k)
    {
        var lines = File.ReadAllLines(drop.Path);
        var rows = lines.Skip(1).Where((_, i) => (i + k) % (k + 3) != 0).ToList();
        if (k % 2 == 1) rows.Reverse();
        // Sent as the demo sends its drops, not through the fixture's remembering upload: the demo's made-up surnames
        // include "White", which the KPI breakdowns rightly name as an ethnicity group.
        var path = Path.Combine(_folder, $"{drop.DropType}-resend-{k}.csv");
        await File.WriteAllLinesAsync(path, rows.Prepend(lines[0]));
        var receipt = await IngestCommand.UploadAndIngestAsync(fixture.Pipeline, path, drop.Provider, drop.DropType, default);
        Assert.NotEqual(ReceiptStatus.Rejected, receipt.Status);
    }

    private async Task<string> ResultsAsync(bool currentView)
    {
        var engine = fixture.Pipeline.Get<KpiEngine>();
        var data = await YotData.LoadAsync(fixture.Storage, DemoData.Yot, default, currentView);
        var text = new StringBuilder();
        foreach (var q in Quarters)
        {
            var set = await engine.ComputeAsync(DemoData.Yot, q, data, default);
            text.AppendLine(JsonSerializer.Serialize(KpiRow.From(set).ToList())).AppendLine(string.Join(";", set.SourceDrops));
        }
        return text.ToString();
    }

    [Fact]
    public async Task The_current_view_gives_byte_identical_results_through_resends_and_retention_and_reads_one_blob_per_drop_type()
    {
        var drops = await SendDemoAsync();
        var yotDrops = drops.Where(d => d.Provider == drops[0].Provider).ToList();
        Assert.Equal(9, yotDrops.Count);
        Assert.Equal(await ResultsAsync(currentView: false), await ResultsAsync(currentView: true));

        // Folded forward one re-send at a time, as recomputes after each monthly extract would.
        for (var k = 1; k <= 3; k++)
        {
            foreach (var d in yotDrops) await ResendAsync(d, k);
            await YotData.LoadAsync(fixture.Storage, DemoData.Yot, default, currentView: true);
        }
        var full = await ResultsAsync(currentView: false);
        Assert.Equal(full, await ResultsAsync(currentView: true));

        // Up to date, the view is one blob per drop type; every extract is many more.
        using (var counted = new CountedMetrics())
        {
            await YotData.LoadAsync(fixture.Storage, DemoData.Yot, default, currentView: true);
            var viaView = counted.Total("pipeline.blobs.read");
            counted.Clear();
            await YotData.LoadAsync(fixture.Storage, DemoData.Yot, default, currentView: false);
            Assert.Equal(13, viaView);
            Assert.True(counted.Total("pipeline.blobs.read") > 4 * viaView,
                $"full history read {counted.Total("pipeline.blobs.read")} blobs");
        }

        // Retention deletes the last re-send's curated data: the view folded it in, so it is rebuilt without it.
        var ledger = fixture.Storage.Table(StorageNames.DropsTable);
        var last = ledger.Query<TableEntity>(e => e.PartitionKey == drops[0].Provider)
            .OrderByDescending(e => e.GetDateTimeOffset("ReceivedAt")).First();
        foreach (var blob in DropLedger.CuratedBlobsOf(last))
            await fixture.Storage.Container(StorageNames.CuratedContainer).DeleteBlobIfExistsAsync(blob);
        await ledger.UpdateEntityAsync(new TableEntity(last.PartitionKey,
            last.RowKey) { [RetentionJob.CuratedDeletedAt] = DateTimeOffset.UtcNow },
            Azure.ETag.All, TableUpdateMode.Merge);
        var afterRetention = await ResultsAsync(currentView: false);
        Assert.NotEqual(full, afterRetention);
        Assert.Equal(afterRetention, await ResultsAsync(currentView: true));

        var beforeRotation = (await YotData.LoadAsync(fixture.Storage, DemoData.Yot, default, currentView: true)).Children;

        // A key rotation: the views were folded under the old version; the children and two case types are re-sent
        // under the new one, the rest not yet. Only the new version's rows count, from the view as from every extract.
        await using (var v2 = ServicesUnderKeyVersion("view-v2"))
            foreach (var d in yotDrops.Where(d => d.DropType is "yot-children" or "yot-interventions" or "yot-offences"))
            {
                var blob = $"{d.Provider}/{d.DropType}/after-rotation.csv";
                var lines = File.ReadAllLines(d.Path);
                await fixture.Storage.Container(StorageNames.DropsContainer).GetBlobClient(blob)
                    .UploadAsync(BinaryData.FromString(string.Join("\n", lines.Take(1).Concat(lines.Skip(2)))));
                Assert.NotEqual(ReceiptStatus.Rejected, (await v2.GetRequiredService<DropIngestor>().IngestAsync(blob, default)).Status);
            }
        var rotated = await ResultsAsync(currentView: false);
        Assert.NotEqual(afterRetention, rotated);
        Assert.Equal(rotated, await ResultsAsync(currentView: true));
        var children = (await YotData.LoadAsync(fixture.Storage, DemoData.Yot, default, currentView: true)).Children;
        Assert.NotEmpty(children);
        Assert.Empty(children.Keys.Intersect(beforeRotation.Keys));
    }

    /// <summary>The pipeline's services over the fixture's storage with a new key under a new version label.</summary>
    private ServiceProvider ServicesUnderKeyVersion(string version)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataStorage:ConnectionString"] = fixture.Pipeline.Get<IOptions<StorageOptions>>().Value.ConnectionString,
            ["Pseudonymisation:Key"] = Pseudonymiser.NewKey(),
            ["Pseudonymisation:KeyVersion"] = version,
        }).Build();
        return new ServiceCollection().AddLogging().AddPipeline(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task One_extract_costs_at_most_one_recompute_per_quarter_from_one_pass_however_many_nudges()
    {
        var drops = await SendDemoAsync();
        await fixture.DrainQueueAsync();
        var yotDrops = drops.Where(d => d.Provider == drops[0].Provider).ToList();
        foreach (var d in yotDrops) await ResendAsync(d, 5);

        // The Functions queue trigger: every nudge handled on its own, in the order sent.
        var queue = fixture.Storage.Queue(StorageNames.KpiRecomputeQueue);
        var messages = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
            foreach (var m in batch)
            {
                messages.Add(m.Body.ToString());
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        var quarters = messages.Select(KpiRecomputeRequest.FromJson).Select(r => r.Period).Distinct().ToList();
        Assert.True(messages.Count > quarters.Count, $"{messages.Count} nudges for {quarters.Count} quarters");

        using var counted = new CountedMetrics();
        var recomputer = fixture.Pipeline.Get<KpiRecomputer>();
        await recomputer.HandleAsync(messages[0], default);
        var firstPass = counted.Tags("pipeline.kpi.recomputes").Select(t => t["period"]).ToList();
        foreach (var m in messages.Skip(1)) await recomputer.HandleAsync(m, default);

        var all = counted.Tags("pipeline.kpi.recomputes").Select(t => t["period"]).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());            // no quarter twice
        Assert.Equal(quarters.Order(), all.Order());                  // every quarter the extract touched
        Assert.Equal(all, firstPass);                                 // all in the first message's pass
        Assert.Empty(await fixture.Pipeline.Get<KpiRecomputeMarkers>().DirtyAsync(DemoData.Yot, default));
    }
}
