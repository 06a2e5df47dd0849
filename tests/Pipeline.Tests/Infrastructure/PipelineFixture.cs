using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>
/// The pipeline's stages wired over a storage account of their own in the test run's one Azurite
/// (<see cref="TestStorage"/>), one per test class. Every log line the pipeline writes is captured for the privacy tests.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public const string TestKey = "dGVzdC1rZXktZm9yLXBzZXVkb255bWlzYXRpb24tMDEyMzQ1Njc4OQ==";
    private LocalPipeline? _pipeline;

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>The raw identifiers of every child sent through this fixture, looked for everywhere when the class is done.</summary>
    public RawIdentifierScan Identifiers { get; } = new();
    public LocalPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("Not started.");

    /// <summary>
    /// The class's own staging folder: another class's retention run, on a clock days ahead, would otherwise sweep this
    /// class's staged files as stale while it looks at them.
    /// </summary>
    public string StagingDirectory { get; } = Path.Combine(Path.GetTempPath(), "yjp-staging-tests", Guid.NewGuid().ToString("N"));
    public PipelineStorage Storage => Pipeline.Storage;

    public async Task InitializeAsync()
    {
        _pipeline = await LocalPipeline.StartAsync(inMemory: false,
            overrides: new Dictionary<string, string?>
            {
                ["DataStorage:ConnectionString"] = await TestStorage.NewAccountAsync(),
                ["Pseudonymisation:Key"] = TestKey,
                ["Pseudonymisation:KeyVersion"] = "test-v1",
                ["Ingestion:StagingDirectory"] = StagingDirectory,
            },
            configure: s => s.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(Logs)),
            logLevel: LogLevel.Trace);
    }

    public async Task DisposeAsync()
    {
        if (_pipeline is null) return;
        try
        {
            var leaks = await Identifiers.FindAsync(Storage, Logs);
            if (leaks.Count > 0)
                throw new InvalidOperationException(
                    $"Raw identifiers of test children got past the gate:\n{string.Join("\n", leaks.Take(20))}");
        }
        finally
        {
            await TestStorage.DeleteAllAsync(Storage);
            await _pipeline.DisposeAsync();
            if (Directory.Exists(StagingDirectory)) Directory.Delete(StagingDirectory, recursive: true);
        }
    }

    public Task AddAgreementAsync(Agreement agreement) => Pipeline.Get<AgreementStore>().UpsertAsync(agreement, default);

    /// <summary>Uploads content as drops/{provider}/{dropType}/{name} and runs the IngestDrop stage on it.</summary>
    public async Task<Receipt> IngestAsync(string provider, string dropType, byte[] content, string name = "drop.csv")
    {
        Identifiers.Remember(dropType, content);
        var blobName = $"{provider}/{dropType}/{name}";
        await Storage.Container(StorageNames.DropsContainer).GetBlobClient(blobName)
            .UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return await Pipeline.Get<DropIngestor>().IngestAsync(blobName, default);
    }

    public Task<Receipt> IngestAsync(string provider, string dropType, string csv, string name = "drop.csv") =>
        IngestAsync(provider, dropType, System.Text.Encoding.UTF8.GetBytes(csv), name);

    public Task<IReadOnlyList<KpiRecomputeRequest>> DrainQueueAsync() =>
        LocalQueueWorker.DrainAsync(Storage, Pipeline.Get<KpiRecomputer>(), default);

    public async Task<IReadOnlyList<string>> BlobNamesAsync(string container, string? prefix = null)
    {
        var names = new List<string>();
        await foreach (var b in Storage.Container(container).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, default))
            names.Add(b.Name);
        return names;
    }

    public async Task<byte[]> DownloadAsync(string container, string name) =>
        (await Storage.Container(container).GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();

    /// <summary>Everything stored, as text: each blob's name and content hash, each table row's properties, each queue's depth.</summary>
    public async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        var lines = new List<string>();
        foreach (var c in StorageNames.Containers)
            foreach (var name in await BlobNamesAsync(c))
                lines.Add(
                    $"blob {c}/{name} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await DownloadAsync(c, name)))}");
        foreach (var t in StorageNames.Tables)
            await foreach (var e in Storage.Table(t).QueryAsync<TableEntity>())
                lines.Add($"row {t}/{e.PartitionKey}/{e.RowKey} " + string.Join(",",
                    e.Keys.Where(k => k is not ("Timestamp" or "odata.etag")).Order().Select(k => $"{k}={e[k]}")));
        foreach (var q in StorageNames.Queues)
            lines.Add($"queue {q} {(await Storage.Queue(q).GetPropertiesAsync()).Value.ApproximateMessagesCount}");
        return lines;
    }
}

internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(sink, categoryName);
    public void Dispose() { }

    private sealed class CapturingLogger(ConcurrentQueue<string> sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{category} {logLevel} {formatter(state, exception)} {exception}");
    }
}
