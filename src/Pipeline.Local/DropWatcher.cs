using Azure;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Local;

/// <summary>
/// The local stand-in for the <c>IngestDrop</c> blob trigger (Event Grid in Azure): polls drops/ and ingests every blob
/// it has not seen in this version (name + ETag). Ingestion is idempotent, so a blob already processed in an earlier
/// session only answers "duplicate". A blob that keeps failing is given up after <see cref="MaxAttempts"/> tries, as
/// the blob trigger's poison threshold does.
/// </summary>
public sealed class DropWatcher(PipelineStorage storage, DropIngestor ingestor, ILogger logger)
{
    public const int MaxAttempts = 3;
    private readonly Dictionary<string, ETag> _done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);

    /// <returns>The receipts of the drops ingested in this poll.</returns>
    public async Task<IReadOnlyList<Receipt>> PollOnceAsync(CancellationToken cancellationToken)
    {
        var receipts = new List<Receipt>();
        await foreach (var blob in storage.Container(StorageNames.DropsContainer).GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (_done.TryGetValue(blob.Name, out var etag) && etag == blob.Properties.ETag) continue;
            try
            {
                receipts.Add(await ingestor.IngestAsync(blob.Name, cancellationToken));
                _done[blob.Name] = blob.Properties.ETag ?? default;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var failures = _failures[blob.Name] = _failures.GetValueOrDefault(blob.Name) + 1;
                logger.LogError("Drop blob failed ({Attempt}/{Max}): {Error}", failures, MaxAttempts, ex.GetType().Name);
                if (failures >= MaxAttempts) _done[blob.Name] = blob.Properties.ETag ?? default;
            }
        }
        return receipts;
    }
}
