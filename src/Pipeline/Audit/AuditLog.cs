using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Audit;

/// <summary>One audited step: who did what, when, under which agreement, to how many rows. Never a raw identifier.</summary>
public sealed record AuditEntry(string Subject, string Step, string Actor, string Action, string? Agreement, long Rows, DateTimeOffset At,
    string? Detail = null);

/// <summary>
/// The <c>Audit</c> table, append-only from the pipeline's side: the pipeline adds rows (<c>AddEntity</c>) and never
/// updates or deletes a row of a past event. PartitionKey = the subject (a drop, a KPI run, a retention deletion).
/// <list type="bullet">
/// <item><see cref="AppendAsync"/> records a <em>step</em> of a subject once: RowKey = the step, so a retried step (a
/// drop the blob trigger delivers again after a crash, a poison message redelivered, a deletion re-run after a crash)
/// finds its row already there and leaves the first record as it is, rather than adding a second or overwriting it.</item>
/// <item><see cref="AppendEventAsync"/> records an <em>event</em> that happens again and again (a query, a request):
/// RowKey = the time plus a random suffix, so every call adds a row, in time order within the subject.</item>
/// <item><see cref="CountAsync"/> keeps a tally of events that are not worth a row each (API calls that carry no identity,
/// which anyone can make as often as they like): one row per subject and step whose <c>Count</c> grows. The only rows
/// that change, and they record no single event.</item>
/// </list>
/// </summary>
public sealed class AuditLog(PipelineStorage storage)
{
    private readonly TableClient _table = storage.Table(StorageNames.AuditTable);

    /// <summary>Records a step of a subject once; a second record of the same subject and step keeps the first.</summary>
    /// <returns>True if this call added the row; false if the step was already recorded.</returns>
    public async Task<bool> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(ToEntity(entry, KeySafe(entry.Step)), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Adds a row for one occurrence of an event; never collides with an earlier row.</summary>
    public async Task AppendEventAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var rowKey = $"{entry.At.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}-{KeySafe(entry.Step)}-{suffix}";
        await _table.AddEntityAsync(ToEntity(entry, rowKey), cancellationToken);
    }

    /// <summary>
    /// Adds <paramref name="count"/> to the tally row of the entry's subject and step (<c>Count</c>, with the first and
    /// last time in <c>At</c> and <c>LastAt</c>), creating it at the first. Conditional on the row's ETag, so tallies
    /// from several instances add up rather than overwrite each other.
    /// </summary>
    public async Task CountAsync(AuditEntry entry, long count, CancellationToken cancellationToken)
    {
        var (partition, row) = (KeySafe(entry.Subject), KeySafe(entry.Step));
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    var added = ToEntity(entry, row);
                    added[CountProperty] = count;
                    added["LastAt"] = entry.At;
                    await _table.AddEntityAsync(added, cancellationToken);
                    return;
                }
                var tally = existing.Value!;
                tally[CountProperty] = (tally.GetInt64(CountProperty) ?? 0) + count;
                tally["LastAt"] = entry.At;
                await _table.UpdateEntityAsync(tally, tally.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 50)
            {
                // Another writer got there first: read its figure and add to it.
            }
        }
    }

    /// <summary>The property of a tally row (<see cref="CountAsync"/>) that holds the count.</summary>
    public const string CountProperty = "Count";

    public async Task<IReadOnlyList<AuditEntry>> ForSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        var key = KeySafe(subject);
        var list = new List<AuditEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == key, cancellationToken: cancellationToken))
            list.Add(FromEntity(e));
        return list;
    }

    /// <summary>Every row whose time is at or after <paramref name="since"/> and before <paramref name="until"/> (when given), optionally
    /// of one subject, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(DateTimeOffset since, DateTimeOffset? until = null, string? subject = null,
        CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"At ge {since}");
        if (until is { } u) filter += " and " + TableClient.CreateQueryFilter($"At lt {u}");
        if (subject is not null) filter = TableClient.CreateQueryFilter($"PartitionKey eq {KeySafe(subject)}") + " and " + filter;
        var list = new List<AuditEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) list.Add(FromEntity(e));
        return list.OrderBy(e => e.At).ThenBy(e => e.Subject, StringComparer.Ordinal).ThenBy(e => e.Step, StringComparer.Ordinal).ToList();
    }

    private static TableEntity ToEntity(AuditEntry entry, string rowKey) => new(KeySafe(entry.Subject), rowKey)
    {
        ["Step"] = entry.Step,
        ["Actor"] = entry.Actor,
        ["Action"] = entry.Action,
        ["Agreement"] = entry.Agreement,
        ["Rows"] = entry.Rows,
        ["At"] = entry.At,
        ["Detail"] = entry.Detail,
    };

    private static AuditEntry FromEntity(TableEntity e) =>
        new(e.PartitionKey, e.GetString("Step") ?? e.RowKey, e.GetString("Actor"), e.GetString("Action"), e.GetString("Agreement"),
            e.GetInt64("Rows") ?? 0, e.GetDateTimeOffset("At") ?? default, e.GetString("Detail"));

    /// <summary>Table keys may not hold '/', '\', '#', '?' or control characters.</summary>
    private static string KeySafe(string key) =>
        string.Create(key.Length, key, (span, k) =>
        {
            for (var i = 0; i < k.Length; i++) span[i] = k[i] is '/' or '\\' or '#' or '?' || char.IsControl(k[i]) ? '_' : k[i];
        });
}
