using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// A drop whose ingest failed host.json's poisonBlobThreshold times (an infrastructure fault: a refused drop is a
/// normal outcome with a receipt) is parked by the blob extension on <c>webjobs-blobtrigger-poison</c> in the data
/// account, as a message naming the blob; this records it so the provider's upload is not silently lost.
/// </summary>
public sealed class IngestDropPoison(PoisonMessageRecorder recorder)
{
    [Function(Triggers.IngestDropPoisonFunction)]
    public Task RunAsync(
        [QueueTrigger(StorageNames.BlobTriggerPoisonQueue, Connection = Triggers.DataStorageConnection)] string message,
        CancellationToken cancellationToken) =>
        recorder.RecordAsync(StorageNames.BlobTriggerPoisonQueue, message, cancellationToken);
}
