using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>The drop ledger, a page at a time: a provider sees its own drops, an analyst their YOT's.</summary>
public sealed class DropResource : IApiResource
{
    private readonly PipelineStorage _storage;

    public DropResource(PipelineStorage storage)
    {
        _storage = storage;
        Endpoints =
        [
            new("GetDrops", ApiRoutes.Drops, "The drop ledger: a provider's own drops, or an analyst's YOT's drops.",
                [ApiRoles.Analyst, ApiRoles.Provider],
                [new("provider", "Only this provider's drops (a provider may ask only for its own)."), .. ApiPaging.Parameters],
                    DropsAsync),
        ];
    }

    public IReadOnlyList<ApiEndpoint> Endpoints { get; }

    private async Task<ApiResult> DropsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Caller!;
        var provider = request.Get("provider");
        string filter;
        if (caller.Is(ApiRoles.Provider) && caller.Provider is { } own)
        {
            if (provider is not null && provider != own) return ApiResult.Forbidden("A provider sees its own drops only.");
            filter = TableClient.CreateQueryFilter($"PartitionKey eq {own}");
        }
        else if (caller.Is(ApiRoles.Analyst) && caller.Yot is { } yot)
        {
            filter = provider is null
                ? TableClient.CreateQueryFilter($"Yot eq {yot}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {provider} and Yot eq {yot}");
        }
        else return ApiResult.Forbidden("The drop ledger is for providers (their own drops) and YOT analysts (their YOT's drops).");
        if (ApiPaging.PageSize(request) is not { } pageSize) return ApiPaging.BadPageSize();

        var table = _storage.Table(StorageNames.DropsTable);
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken)
                               .AsPages(request.Get("continuationToken"), pageSize))
            {
                var drops = page.Values.Select(Drop).ToList();
                return ApiResult.Ok(new { drops, continuationToken = page.ContinuationToken }, drops.Count);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 404)
        {
            if (ex.Status == 400) return ApiResult.BadRequest("The continuation token is not one this API gave out.");
        }
        return ApiResult.Ok(new { drops = Array.Empty<object>(), continuationToken = (string?)null }, 0);
    }

    private static object Drop(TableEntity e)
    {
        var counts = DropLedger.CountsOf(e);
        return new
        {
            dropId = e.RowKey,
            provider = e.PartitionKey,
            dropType = e.GetString("DropType"),
            status = e.GetString("Status"),
            yot = e.GetString("Yot"),
            agreement = e.GetString("Agreement"),
            rowsRead = counts?.Read,
            rowsAccepted = counts?.Accepted,
            rowsRejected = counts?.Rejected,
            rowsOutOfCohort = counts?.OutOfCohort,
            receivedAt = e.GetDateTimeOffset("ReceivedAt"),
            processedAt = e.GetDateTimeOffset("ProcessedAt"),
            receipt = $"/api/drops/{Uri.EscapeDataString(e.PartitionKey)}/{Uri.EscapeDataString(e.RowKey)}",
        };
    }
}
