using Azure.Data.Tables;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// How a <see cref="Receipt"/> is made, in one place: from a drop's outcome (accepted or refused), from its ledger row
/// when the stored receipt is unreadable, and the placeholder answered while another worker holds the drop.
/// </summary>
public static class DropReceipts
{
    /// <param name="outcome">The row-level outcome; null when the drop was refused before its rows were read.</param>
    /// <param name="refusal">The drop-level rule that refused it, if any: counted once and listed first among the errors.</param>
    public static Receipt Build(string dropId, string provider, string dropType, string? agreement, DateTimeOffset receivedAt,
        DropOutcome? outcome, string status, DateTimeOffset processedAt, RowError? refusal = null)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var errors = new List<RowError>();
        if (refusal is not null)
        {
            counts[refusal.Rule] = 1;
            errors.Add(refusal);
        }
        if (outcome is not null)
        {
            foreach (var (rule, n) in outcome.Errors.Counts) counts[rule] = counts.GetValueOrDefault(rule) + n;
            errors.AddRange(outcome.Errors.First);
        }
        return new Receipt
        {
            DropId = dropId,
            Provider = provider,
            DropType = dropType,
            Agreement = agreement,
            Status = status,
            Rows = status == ReceiptStatus.Rejected ? (outcome?.Rows ?? default).RefusedWhole() : outcome?.Rows ?? default,
            LinkedBy = status == ReceiptStatus.Rejected || outcome is null ? new SortedDictionary<string, long>() : outcome.LinkedBy,
            Completeness = status == ReceiptStatus.Rejected || outcome is null ? new SortedDictionary<string, double>()
                : outcome.Completeness,
            RulesRun = outcome?.RulesRun ?? [],
            RulesSkipped = outcome?.RulesSkipped.Select(s => new SkippedRule(s.Rule, s.Reason)).ToList() ?? [],
            FieldsNotShared = outcome?.FieldsNotShared ?? [],
            ErrorCounts = counts,
            Errors = errors,
            ErrorsTruncated = outcome?.Errors.Truncated ?? false,
            ReceivedAt = receivedAt,
            ProcessedAt = processedAt,
        };
    }

    /// <summary>A duplicate answered from the ledger row's own counts, for a drop whose stored receipt is unreadable.</summary>
    public static Receipt FromLedger(TableEntity row, DateTimeOffset processedAt) => new()
    {
        DropId = row.RowKey,
        Provider = row.PartitionKey,
        DropType = row.GetString("DropType") ?? "",
        Agreement = row.GetString("Agreement"),
        Status = ReceiptStatus.Duplicate,
        Rows = DropLedger.CountsOf(row) ?? default,
        ReceivedAt = row.GetDateTimeOffset("ReceivedAt") ?? default,
        ProcessedAt = processedAt,
    };

    /// <summary>The duplicate answered while another worker holds the drop (<see cref="Receipt.InProgress"/>).</summary>
    public static Receipt InProgress(string dropId, string provider, string dropType, DateTimeOffset receivedAt,
        DateTimeOffset processedAt) => new()
    {
        DropId = dropId,
        Provider = provider,
        DropType = dropType,
        Status = ReceiptStatus.Duplicate,
        InProgress = true,
        ReceivedAt = receivedAt,
        ProcessedAt = processedAt,
    };
}
