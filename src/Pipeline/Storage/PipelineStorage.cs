using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace YouthJustice.Pipeline.Storage;

/// <summary>The pipeline's Azure Storage clients: blob containers, tables and queues of ARCHITECTURE.md §3.</summary>
public sealed class PipelineStorage
{
    public PipelineStorage(BlobServiceClient blobs, TableServiceClient tables, QueueServiceClient queues)
    {
        Blobs = blobs;
        Tables = tables;
        Queues = queues;
    }

    public BlobServiceClient Blobs { get; }
    public TableServiceClient Tables { get; }
    public QueueServiceClient Queues { get; }

    public static PipelineStorage Create(StorageOptions options, TokenCredential? credential = null)
    {
        // Queue messages are Base64 so that the Functions queue trigger (which expects Base64 by default) reads them.
        var queueOptions = Retry(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, options);
        var blobOptions = Retry(new BlobClientOptions(), options);
        var tableOptions = Retry(new TableClientOptions(), options);
        if (!string.IsNullOrEmpty(options.ConnectionString))
            return new PipelineStorage(
                new BlobServiceClient(options.ConnectionString, blobOptions),
                new TableServiceClient(options.ConnectionString, tableOptions),
                new QueueServiceClient(options.ConnectionString, queueOptions));

        credential ??= new DefaultAzureCredential();
        return new PipelineStorage(
            new BlobServiceClient(options.BlobServiceUri ?? throw Missing(nameof(options.BlobServiceUri)), credential, blobOptions),
            new TableServiceClient(options.TableServiceUri ?? throw Missing(nameof(options.TableServiceUri)), credential, tableOptions),
            new QueueServiceClient(options.QueueServiceUri ?? throw Missing(nameof(options.QueueServiceUri)), credential, queueOptions));
    }

    private static T Retry<T>(T client, StorageOptions options) where T : ClientOptions
    {
        if (options.MaxRetries is { } retries) client.Retry.MaxRetries = retries;
        if (options.RetryDelay is { } delay)
        {
            client.Retry.Delay = delay;
            client.Retry.MaxDelay = delay * 4;
        }
        if (options.NetworkTimeout is { } timeout) client.Retry.NetworkTimeout = timeout;
        return client;
    }

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);
    public TableClient Table(string name) => Tables.GetTableClient(name);
    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    /// <summary>Creates every container, table and queue the pipeline uses; safe to call repeatedly.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        // At once rather than one after another: every local command starts with this, and it was a third of `kpis`.
        Task.WhenAll(StorageNames.Containers.Select(c => (Task)Container(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken))
            .Concat(StorageNames.Tables.Select(t => (Task)Table(t).CreateIfNotExistsAsync(cancellationToken)))
            .Concat(StorageNames.Queues.Select(q => (Task)Queue(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken))));

    private static InvalidOperationException Missing(string what) =>
        new($"Storage is not configured: set {StorageOptions.SectionName}:ConnectionString, or {StorageOptions.SectionName}:{what} with " +
            $"an identity that has data-plane roles.");
}
