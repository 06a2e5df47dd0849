using Azure.Data.Tables;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Audit;

/// <summary>One audited step: who did what, when, under which agreement, to how many rows. Never a raw identifier.</summary>
public sealed record AuditEntry(string Subject, string Step, string Actor, string Action, string? Agreement, long Rows, DateTimeOffset At, string? Detail = null);

/// <summary>
/// The <c>Audit</c> table, append-only from the pipeline's side. PartitionKey = the subject (a drop, a KPI run),
/// RowKey = the step, so a retried step rewrites its own row instead of adding a second.
/// </summary>
public sealed class AuditLog(PipelineStorage storage)
{
    private readonly TableClient _table = storage.Table(StorageNames.AuditTable);

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(entry.Subject, entry.Step)
        {
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
            ["Agreement"] = entry.Agreement,
            ["Rows"] = entry.Rows,
            ["At"] = entry.At,
            ["Detail"] = entry.Detail,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ForSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        var list = new List<AuditEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == subject, cancellationToken: cancellationToken))
            list.Add(new AuditEntry(e.PartitionKey, e.RowKey, e.GetString("Actor"), e.GetString("Action"), e.GetString("Agreement"),
                e.GetInt64("Rows") ?? 0, e.GetDateTimeOffset("At") ?? default, e.GetString("Detail")));
        return list;
    }
}
