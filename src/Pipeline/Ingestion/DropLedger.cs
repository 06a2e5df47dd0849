using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// The <c>Drops</c> table: one row per drop, PartitionKey = provider, RowKey = dropId (the content's SHA-256),
/// so the same file sent twice finds its first row.
/// </summary>
public sealed class DropLedger(PipelineStorage storage)
{
    public const string Processing = "processing";
    private readonly TableClient _table = storage.Table(StorageNames.DropsTable);

    public async Task<TableEntity?> FindAsync(string provider, string dropId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(provider, dropId, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Marks a drop as being processed. A crashed attempt leaves this row, and the retry simply takes it over.</summary>
    public Task ClaimAsync(string provider, string dropId, string dropType, string blobName, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(provider, dropId)
        {
            ["DropType"] = dropType,
            ["Status"] = Processing,
            ["BlobName"] = blobName,
            ["ReceivedAt"] = receivedAt,
        }, TableUpdateMode.Replace, cancellationToken);

    public Task CompleteAsync(Receipt receipt, string blobName, string yot, IReadOnlyList<string> curatedBlobs, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(receipt.Provider, receipt.DropId)
        {
            ["DropType"] = receipt.DropType,
            ["Status"] = receipt.Status,
            ["Agreement"] = receipt.Agreement,
            ["Yot"] = yot,
            ["BlobName"] = blobName,
            ["RowsRead"] = receipt.RowsRead,
            ["RowsAccepted"] = receipt.RowsAccepted,
            ["RowsRejected"] = receipt.RowsRejected,
            ["RowsOutOfCohort"] = receipt.RowsOutOfCohort,
            ["ReceiptBlob"] = ReceiptBlobName(receipt.Provider, receipt.DropId),
            ["CuratedBlobs"] = string.Join(";", curatedBlobs),
            ["ReceivedAt"] = receipt.ReceivedAt,
            ["ProcessedAt"] = receipt.ProcessedAt,
        }, TableUpdateMode.Replace, cancellationToken);

    public static string ReceiptBlobName(string provider, string dropId) => $"{provider}/{dropId}.json";

    /// <summary>Every error of a drop as CSV, beside its receipt (the receipt itself lists the first 1,000).</summary>
    public static string ErrorsCsvBlobName(string provider, string dropId) => $"{provider}/{dropId}.errors.csv";

    public static bool IsFinal(TableEntity entity) => entity.GetString("Status") is { } s && s != Processing;

    public async Task<IReadOnlyList<TableEntity>> ForProviderAsync(string provider, CancellationToken cancellationToken)
    {
        var list = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == provider, cancellationToken: cancellationToken)) list.Add(e);
        return list;
    }

    /// <summary>Ids of the accepted drops that fed a YOT's data, for provenance of results.</summary>
    public async Task<IReadOnlyList<TableEntity>> AcceptedForYotAsync(string yot, CancellationToken cancellationToken)
    {
        var list = new List<TableEntity>();
        try
        {
            await foreach (var e in _table.QueryAsync<TableEntity>(e => e.GetString("Yot") == yot, cancellationToken: cancellationToken))
                if (e.GetString("Status") is ReceiptStatus.Accepted or ReceiptStatus.AcceptedWithErrors) list.Add(e);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
        return list;
    }
}
