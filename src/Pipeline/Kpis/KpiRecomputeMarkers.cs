using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// The durable "recompute needed" marker of each YOT and quarter (table <c>KpiRecompute</c>, PartitionKey the YOT,
/// RowKey the quarter). <c>Requested</c> counts the changes asked for (a committed drop, a retention deletion);
/// <c>Computed</c> is the <c>Requested</c> value the stored results were computed at. A quarter is <em>dirty</em> while
/// Requested &gt; Computed. The marker, not the queue, is what must be done: a <c>kpi-recompute</c> message is only a
/// nudge, so a lost or delayed message loses nothing, a recompute that died leaves its quarter dirty for the next
/// worker (the local runner's <c>kpis</c> and queue drain pick dirty quarters up at once), and many nudges for one
/// quarter cost one recompute. Every write is conditional on the row's ETag.
/// </summary>
public sealed class KpiRecomputeMarkers(PipelineStorage storage)
{
    private readonly TableClient _table = storage.Table(StorageNames.KpiRecomputeTable);

    public sealed record Marker(string Yot, string Period, long Requested, long Computed)
    {
        public bool Dirty => Requested > Computed;
    }

    public async Task<Marker?> GetAsync(string yot, string period, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(yot, period, cancellationToken: cancellationToken);
        return response.HasValue ? Of(response.Value!) : null;
    }

    /// <summary>Marks each quarter dirty (Requested + 1), then nudges the <c>kpi-recompute</c> queue once per quarter.</summary>
    public async Task RequestAsync(string yot, IEnumerable<string> periods, CancellationToken cancellationToken)
    {
        var distinct = periods.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var period in distinct)
            await UpdateAsync(yot, period, m => m with { Requested = m.Requested + 1 }, cancellationToken);
        var queue = storage.Queue(StorageNames.KpiRecomputeQueue);
        foreach (var period in distinct)
            await queue.SendMessageAsync(new KpiRecomputeRequest(yot, period).ToJson(), cancellationToken);
    }

    /// <summary>Records that results computed at <paramref name="requested"/> are stored: the quarter is clean unless more was asked for
    /// meanwhile.</summary>
    public Task MarkComputedAsync(string yot, string period, long requested, CancellationToken cancellationToken) =>
        UpdateAsync(yot, period, m => m.Computed >= requested ? null : m with { Computed = requested }, cancellationToken,
            createIfMissing: false);

    /// <summary>Every dirty quarter, of one YOT or of all.</summary>
    public async Task<IReadOnlyList<Marker>> DirtyAsync(string? yot, CancellationToken cancellationToken)
    {
        var filter = yot is null ? "Dirty eq true" : TableClient.CreateQueryFilter($"PartitionKey eq {yot} and Dirty eq true");
        var list = new List<Marker>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            if (Of(e) is { Dirty: true } m) list.Add(m);
        return list.OrderBy(m => m.Yot, StringComparer.Ordinal).ThenBy(m => m.Period, StringComparer.Ordinal).ToList();
    }

    /// <param name="change">The new marker from the current one; null to leave it.</param>
    private async Task UpdateAsync(string yot, string period, Func<Marker, Marker?> change, CancellationToken cancellationToken,
        bool createIfMissing = true)
    {
        while (true)
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(yot, period, cancellationToken: cancellationToken);
            var current = response.HasValue ? Of(response.Value!) : new Marker(yot, period, 0, 0);
            if (!response.HasValue && !createIfMissing) return;
            if (change(current) is not { } next) return;
            var entity = new TableEntity(yot, period)
            {
                ["Requested"] = next.Requested,
                ["Computed"] = next.Computed,
                // Kept beside the counters so dirty quarters are one filtered query.
                ["Dirty"] = next.Dirty,
            };
            try
            {
                if (response.HasValue) await _table.UpdateEntityAsync(entity, response.Value!.ETag, TableUpdateMode.Replace,
                    cancellationToken);
                else await _table.AddEntityAsync(entity, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer moved the marker: apply the change to what it wrote.
            }
        }
    }

    private static Marker Of(TableEntity e) => new(e.PartitionKey, e.RowKey, e.GetInt64("Requested") ?? 0, e.GetInt64("Computed") ?? 0);
}
