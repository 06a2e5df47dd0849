using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Audit;

namespace YouthJustice.Pipeline.Api;

/// <summary>
/// The audit of API requests, whatever their outcome: a row per request of a caller with a valid token (who, which
/// route, when, how many rows, the status); requests without one are counted by <see cref="AnonymousRequestTally"/>
/// rather than audited one by one. An answer whose audit row cannot be written is not given (503).
/// </summary>
public sealed class ApiRequestAudit
{
    private readonly AuditLog _audit;
    private readonly TimeProvider _clock;
    private readonly ILogger<ApiRequestAudit> _logger;
    private readonly AnonymousRequestTally _tally;

    public ApiRequestAudit(AuditLog audit, TimeProvider clock, ILogger<ApiRequestAudit> logger)
    {
        (_audit, _clock, _logger) = (audit, clock, logger);
        _tally = new AnonymousRequestTally(audit, logger);
    }

    /// <summary>The audit table's partition for API requests of one day: <c>api|yyyy-MM-dd</c>.</summary>
    public static string Subject(DateTimeOffset at) => $"api|{at.UtcDateTime:yyyy-MM-dd}";

    /// <param name="anonymous">Why there is no caller (<c>no-token</c>, <c>invalid-token</c>), for the tally.</param>
    /// <returns>The answer to give: <paramref name="result"/>, or 503 when its audit row could not be written.</returns>
    public async Task<ApiResult> RecordAsync(ApiCaller? caller, string anonymous, ApiEndpoint endpoint, string path, ApiResult result,
        CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (caller is null)
        {
            await _tally.CountAsync(now, result.Status, anonymous);
            return result;
        }
        try
        {
            // One row per request: the step (RowKey) is the time, the endpoint and a random suffix, so no request
            // overwrites another's. A refused value is not repeated: the route template says what was asked.
            await _audit.AppendAsync(new AuditEntry(Subject(now),
                $"{now.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}-{endpoint.Name}-{Guid.NewGuid():N}",
                caller.Subject, $"GET {endpoint.Route}", null, result.Rows, now,
                $"{result.Status} {(result.Status == 400 ? endpoint.Route : path)}"), cancellationToken);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError("API {Route} answer withheld: its audit row could not be written ({Error})", endpoint.Route,
                ex.GetType().Name);
            return ApiResult.Error(503, "The request could not be recorded, so it is not answered. Try again later.");
        }
    }
}
