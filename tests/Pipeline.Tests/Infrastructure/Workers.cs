using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parquet;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>A clock the test moves by hand (only "now" is needed: leases are compared with it, never waited on).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Thrown at a fault point to stand for the process dying there.</summary>
public sealed class InjectedCrashException(string point) : Exception($"Injected crash at {point}.");

/// <summary>
/// Stops a worker at the n-th pass of one named point, as a crash or a stalled process would, with no timing involved:
/// the worker's task waits there until the test <see cref="Kill"/>s it (it throws, as if it died: nothing after the
/// point runs, no clean-up beyond what an exception unwinds) or <see cref="Resume"/>s it (a straggler that carries on).
/// </summary>
public sealed class FaultHook(string at, int occurrence = 1) : IFaultInjector
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _passes;

    public string Point => at;

    /// <summary>Completes when a worker is held at the point.</summary>
    public Task Reached => _reached.Task;

    public async ValueTask AtAsync(string point, CancellationToken cancellationToken)
    {
        if (point != at || Interlocked.Increment(ref _passes) != occurrence) return;
        _reached.TrySetResult();
        if (!await _release.Task) throw new InjectedCrashException(point);
    }

    public void Kill() => _release.TrySetResult(false);

    public void Resume() => _release.TrySetResult(true);
}

/// <summary>
/// A separate worker over the fixture's storage: its own service provider, so its own ingestor, ledger and recomputer
/// instances, as another Functions instance would have; with its own fault hook and clock.
/// </summary>
public sealed class PipelineWorker : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public PipelineWorker(PipelineFixture fixture, IFaultInjector? faults = null, TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pseudonymisation:Key"] = PipelineFixture.TestKey,
            ["Pseudonymisation:KeyVersion"] = "test-v1",
            ["Ingestion:StagingDirectory"] = fixture.StagingDirectory,
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(new CapturingLoggerProvider(fixture.Logs)).SetMinimumLevel(LogLevel.Trace))
            .AddPipeline(configuration)
            .AddSingleton(fixture.Storage)
            .AddSingleton(faults ?? new NoFaults())
            .AddSingleton(clock ?? TimeProvider.System);
        _services = services.BuildServiceProvider();
        Storage = fixture.Storage;
    }

    public PipelineStorage Storage { get; }
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public Task<Receipt> IngestAsync(string blobName, CancellationToken cancellationToken = default) =>
        Get<DropIngestor>().IngestAsync(blobName, cancellationToken);

    public Task<IReadOnlyList<KpiRecomputeRequest>> DrainAsync(CancellationToken cancellationToken = default) =>
        LocalQueueWorker.DrainAsync(Storage, Get<KpiRecomputer>(), cancellationToken);

    /// <summary>The sweep, as the daily retention run does it (the rest of retention has nothing due in these tests).</summary>
    public async Task<IReadOnlyList<Orphan>> SweepAsync() =>
        await Get<OrphanSweep>().ApplyAsync(await Get<OrphanSweep>().PlanAsync(default), default);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>Storage as a user sees it, and emptied between runs of a scenario in one Azurite.</summary>
public static class StorageView
{
    /// <summary>Equal views, or a failure naming the lines only one of them has.</summary>
    public static void AssertSame(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && expected.Count == actual.Count,
            $"Only in the clean run:\n{string.Join("\n", missing)}\nOnly in this run:\n{string.Join("\n", extra)}");
    }

    /// <summary>Deletes every blob, table row and queue message.</summary>
    public static async Task WipeAsync(PipelineStorage storage)
    {
        foreach (var c in StorageNames.Containers)
            await foreach (var b in storage.Container(c).GetBlobsAsync(BlobTraits.None, BlobStates.None, null, default))
                await storage.Container(c).GetBlobClient(b.Name).DeleteIfExistsAsync();
        foreach (var t in StorageNames.Tables)
            await foreach (var e in storage.Table(t).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                await storage.Table(t).DeleteEntityAsync(e.PartitionKey, e.RowKey);
        foreach (var q in StorageNames.Queues) await storage.Queue(q).ClearMessagesAsync();
    }

    // Times (arrival is the upload's own time; processing and report times the clock's), claim bookkeeping and ETags
    // differ between two runs of the same drops; nothing else may.
    private static readonly string[] VolatileProperties = ["Timestamp", "odata.etag", "ReceivedAt", "ProcessedAt", "At", DropLedger.ClaimId,
        DropLedger.ClaimedUntil, DropLedger.SweptAt, "FirstUsedAt"];
    private static readonly string[] VolatileJson = ["receivedAt", "processedAt", "generatedAt", "timeliness", "lastReceivedAt"];

    /// <summary>
    /// Every blob (JSON without its times; curated Parquet as its rows and metadata without the arrival time; KPI
    /// results byte for byte), every table row without times and claim bookkeeping (the sweep's own audit rows aside),
    /// every queue's depth.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UserViewAsync(PipelineStorage storage)
    {
        var lines = new List<string>();
        foreach (var c in StorageNames.Containers)
            await foreach (var b in storage.Container(c).GetBlobsAsync(BlobTraits.None, BlobStates.None, null, default))
            {
                var bytes = (await storage.Container(c).GetBlobClient(b.Name).DownloadContentAsync()).Value.Content.ToArray();
                // The current views are curated rows too, with the arrival time as a column rather than metadata.
                var content = c is StorageNames.CuratedContainer or StorageNames.CurrentContainer
                    ? await CuratedRowsAsync(storage, c, b.Name, bytes)
                    : b.Name.EndsWith(".json", StringComparison.Ordinal) ? WithoutTimes(bytes)
                    : Convert.ToHexString(SHA256.HashData(bytes));
                lines.Add($"blob {c}/{b.Name} {content}");
            }
        foreach (var t in StorageNames.Tables)
            await foreach (var e in storage.Table(t).QueryAsync<TableEntity>())
            {
                if (t == StorageNames.AuditTable && e.GetString("Actor") == OrphanSweep.Actor) continue;
                lines.Add($"row {t}/{e.PartitionKey}/{e.RowKey} " + string.Join(",",
                    e.Keys.Except(VolatileProperties).Order(StringComparer.Ordinal).Select(k => $"{k}={e[k]}")));
            }
        foreach (var q in StorageNames.Queues)
            lines.Add($"queue {q} {(await storage.Queue(q).GetPropertiesAsync()).Value.ApproximateMessagesCount}");
        return lines;
    }

    private static string WithoutTimes(byte[] json)
    {
        var node = JsonNode.Parse(json);
        void Strip(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                foreach (var key in VolatileJson) o.Remove(key);
                foreach (var kv in o.ToList()) Strip(kv.Value);
            }
            else if (n is JsonArray a)
            {
                foreach (var item in a) Strip(item);
                // Listed in order of arrival, which two uploads in the same second share: by id instead.
                if (a.Count > 1 && a.All(i => i is JsonObject o && o.ContainsKey("dropId")))
                {
                    var sorted = a.OrderBy(i => i!["dropId"]!.ToString(), StringComparer.Ordinal).Select(i => i!.DeepClone()).ToList();
                    a.Clear();
                    foreach (var i in sorted) a.Add(i);
                }
            }
        }
        Strip(node);
        return Regex.Replace(node!.ToJsonString(), @"\s+", " ");
    }

    private static async Task<string> CuratedRowsAsync(PipelineStorage storage, string container, string name, byte[] bytes)
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes));
        var fields = reader.Schema.DataFields.Where(f => f.Name != CuratedLayout.ReceivedAt).ToList();
        var metadata = reader.CustomMetadata.Where(kv => kv.Key != CuratedLayout.ReceivedAt).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        var table = await CuratedTable.ReadAsync(storage.Container(container), [name], fields.Select(f => f.Name).ToList(), default);
        var text = new StringBuilder(string.Join(";", metadata.Select(kv => $"{kv.Key}={kv.Value}"))).AppendLine();
        for (var r = 0; r < table.RowCount; r++)
        {
            foreach (var f in fields) text.Append(ValueOf(table, f.Name, r)).Append('|');
            text.AppendLine();
        }
        return $"{table.RowCount} rows {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))}";
    }

    /// <summary>A cell whatever its column's type (a column the agreement does not share is all nulls, typed as text).</summary>
    private static object? ValueOf(CuratedTable table, string column, int row)
    {
        Func<object?>[] readers = [() => table.Text(column, row), () => table.Date(column, row), () => table.Integer(column, row),
            () => table.Number(column, row), () => table.Flag(column, row)];
        foreach (var read in readers)
        {
            try
            {
                return read();
            }
            catch (InvalidCastException)
            {
            }
        }
        throw new InvalidDataException($"Column {column} has no known type.");
    }
}
