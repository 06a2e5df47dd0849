using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace YouthJustice.Pipeline.Storage;

/// <summary>The pipeline's Azure Storage clients: blob containers, tables and queues of design.md §2.</summary>
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
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrEmpty(options.ConnectionString))
            return new PipelineStorage(
                new BlobServiceClient(options.ConnectionString),
                new TableServiceClient(options.ConnectionString),
                new QueueServiceClient(options.ConnectionString, queueOptions));

        credential ??= new DefaultAzureCredential();
        return new PipelineStorage(
            new BlobServiceClient(options.BlobServiceUri ?? throw Missing(nameof(options.BlobServiceUri)), credential),
            new TableServiceClient(options.TableServiceUri ?? throw Missing(nameof(options.TableServiceUri)), credential),
            new QueueServiceClient(options.QueueServiceUri ?? throw Missing(nameof(options.QueueServiceUri)), credential, queueOptions));
    }

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);
    public TableClient Table(string name) => Tables.GetTableClient(name);
    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    /// <summary>Creates every container, table and queue the pipeline uses; safe to call repeatedly.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var c in StorageNames.Containers) await Container(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var t in StorageNames.Tables) await Table(t).CreateIfNotExistsAsync(cancellationToken);
        foreach (var q in StorageNames.Queues) await Queue(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    private static InvalidOperationException Missing(string what) =>
        new($"Storage is not configured: set {StorageOptions.SectionName}:ConnectionString, or {StorageOptions.SectionName}:{what} with an identity that has data-plane roles.");
}
