using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// An upload at drops/{provider}/{dropType}/{name} (Event Grid "BlobCreated"; the only blob trigger source that Flex
/// Consumption supports). The blob is bound as a <see cref="BlobClient"/> so nothing is buffered here: the library
/// streams it. A refused drop is a normal outcome (its receipt says <c>rejected</c>), not an exception.
/// </summary>
public sealed class IngestDrop(DropIngestor ingestor)
{
    [Function(Triggers.IngestDropFunction)]
    public Task RunAsync(
        [BlobTrigger(Triggers.DropBlobPath, Source = BlobTriggerSource.EventGrid, Connection = Triggers.DataStorageConnection)]
        BlobClient drop,
        CancellationToken cancellationToken) =>
        ingestor.IngestAsync(drop.Name, cancellationToken);
}
