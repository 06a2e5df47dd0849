using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>One drop's receipt, as stored: for the provider that sent it and for the analysts of the drop's YOT.</summary>
public sealed class ReceiptResource : IApiResource
{
    private readonly PipelineStorage _storage;

    public ReceiptResource(PipelineStorage storage)
    {
        _storage = storage;
        Endpoints =
        [
            new("GetReceipt", ApiRoutes.Receipt, "One drop's receipt (the receipt contract in the README).",
                [ApiRoles.Analyst, ApiRoles.Provider], [], ReceiptAsync),
        ];
    }

    public IReadOnlyList<ApiEndpoint> Endpoints { get; }

    private async Task<ApiResult> ReceiptAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (caller, provider, dropId) = (request.Caller!, request.Path("provider"), request.Path("dropId"));
        var isOwnProvider = caller.Is(ApiRoles.Provider) && caller.Provider == provider;
        if (!isOwnProvider && !caller.Is(ApiRoles.Analyst)) return ApiResult.Forbidden("A provider sees its own receipts only.");
        if (!isOwnProvider)
        {
            var ledger = await _storage.Table(StorageNames.DropsTable)
                .GetEntityIfExistsAsync<TableEntity>(provider, dropId, cancellationToken: cancellationToken);
            if (!ledger.HasValue) return ApiResult.NotFound("No such drop.");
            if (caller.Yot is null
                || ledger.Value!.GetString("Yot") != caller.Yot) return ApiResult.Forbidden("The drop is not your YOT's.");
        }
        var blob = _storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(DropLedger.ReceiptBlobName(provider, dropId));
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return ApiResult.Ok(JsonDocument.Parse(content.Value.Content.ToMemory()).RootElement.Clone(), 1);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return ApiResult.NotFound("No receipt for that drop.");
        }
    }
}
