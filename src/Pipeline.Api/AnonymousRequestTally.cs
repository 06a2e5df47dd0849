using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Audit;

namespace YouthJustice.Pipeline.Api;

/// <summary>
/// Requests that carry no valid token are counted, not audited one by one: anyone can send them, and a row each would
/// let an anonymous caller grow the <c>Audit</c> table at will. One tally row per day (<see cref="Subject"/>), hour,
/// status and reason (<c>no-token</c>, <c>invalid-token</c>, <c>anonymous</c> for the open OpenAPI document).
/// <para>
/// Counts gather in memory and one request at a time writes them, taking whatever others added meanwhile, so a flood
/// costs a table write per batch, not per request, and no count is dropped: a writer looks again after it finishes. A
/// tally that cannot be written is kept for the next writer and logged; it never changes the answer.
/// </para>
/// </summary>
public sealed class AnonymousRequestTally(AuditLog audit, ILogger logger)
{
    private readonly ConcurrentDictionary<(string Subject, string Step), (long Count, DateTimeOffset First, DateTimeOffset Last)> _pending =
        new();
    private int _writing;

    /// <summary>The audit partition of one day's tallies: <c>api-anonymous|yyyy-MM-dd</c>.</summary>
    public static string Subject(DateTimeOffset at) => $"api-anonymous|{at.UtcDateTime:yyyy-MM-dd}";

    /// <summary>The tally's step (RowKey): <c>HH-status-reason</c>.</summary>
    public static string Step(DateTimeOffset at, int status, string reason) => $"{at.UtcDateTime:HH}-{status}-{reason}";

    public async Task CountAsync(DateTimeOffset at, int status, string reason)
    {
        _pending.AddOrUpdate((Subject(at), Step(at, status, reason)), _ => (1, at, at),
            (_, p) => (p.Count + 1, p.First < at ? p.First : at, p.Last > at ? p.Last : at));
        var written = true;
        while (written && !_pending.IsEmpty && Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            try
            {
                written = await WriteAsync();
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }
    }

    private async Task<bool> WriteAsync()
    {
        foreach (var key in _pending.Keys)
        {
            if (!_pending.TryRemove(key, out var p)) continue;
            try
            {
                // Not the request's token: a caller who hangs up must not take other callers' counts with it.
                await audit.CountAsync(new AuditEntry(key.Subject, key.Step, "anonymous", "requests without a valid token (counted)", null,
                    0, p.First,
                    $"status {key.Step.Split('-', 3)[1]}, {key.Step.Split('-', 3)[2]}"), p.Count, CancellationToken.None);
            }
            catch (Exception ex)
            {
                _pending.AddOrUpdate(key, p, (_, q) => (q.Count + p.Count, p.First < q.First ? p.First : q.First, p.Last > q.Last ? p.Last
                    : q.Last));
                logger.LogWarning("Anonymous request tally not written ({Error}); kept for the next request", ex.GetType().Name);
                return false;
            }
        }
        return true;
    }
}
