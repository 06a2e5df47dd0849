using YouthJustice.Pipeline.Ingestion;

namespace YouthJustice.Pipeline.Quality;

/// <summary>
/// The data-quality report of one provider for one quarter: "can we trust this figure?". Built from the drop
/// ledger and the stored receipts only, so it holds counts, rule codes and column names, never row content.
/// Stored as <c>reports/quality/{provider}/{period}.json</c>; property order is the JSON order.
/// </summary>
public sealed record QualityReport
{
    public required string Provider { get; init; }

    /// <summary>From the provider's agreement (null when the provider has sent drops but has no agreement).</summary>
    public string? ProviderName { get; init; }
    public string? ProviderKind { get; init; }
    public string? Yot { get; init; }

    /// <summary>The quarter, <c>YYYY-Qn</c>: drops whose <c>receivedAt</c> (UTC day) falls in it.</summary>
    public required string Period { get; init; }
    public required string PeriodLabel { get; init; }
    public required DateOnly PeriodStart { get; init; }
    public required DateOnly PeriodEnd { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The provider's agreements in force on any day of the quarter.</summary>
    public IReadOnlyList<QualityAgreement> Agreements { get; init; } = [];

    /// <summary>Over all time, not just the quarter: the last drop of any outcome, and the last one accepted.</summary>
    public QualityTimeliness Timeliness { get; init; } = new();

    /// <summary>Drop types an agreement in force in the quarter covers, of which no drop at all arrived in the quarter.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Covered drop types of which drops arrived in the quarter but none was accepted.</summary>
    public IReadOnlyList<string> RefusedOnly { get; init; } = [];

    public QualityTotals Totals { get; init; } = new();

    /// <summary>One entry per drop type covered in the quarter or received in it, ordered by drop type.</summary>
    public IReadOnlyList<DropTypeQuality> DropTypes { get; init; } = [];

    /// <summary>The drops received in the quarter, ordered by <c>receivedAt</c> (then drop id).</summary>
    public IReadOnlyList<DropSummary> Drops { get; init; } = [];
}

public sealed record QualityAgreement(string Id, string Yot, DateOnly ValidFrom, DateOnly ValidTo, IReadOnlyList<string> DropTypes);

public sealed record QualityTimeliness
{
    public DateTimeOffset? LastDropAt { get; init; }

    /// <summary>Whole days from <see cref="LastDropAt"/> to the report's <c>generatedAt</c>; null if nothing was ever sent.</summary>
    public int? DaysSinceLastDrop { get; init; }
    public DateTimeOffset? LastAcceptedDropAt { get; init; }
    public int? DaysSinceLastAcceptedDrop { get; init; }
}

/// <summary>Counts over the quarter's drops (all drop types).</summary>
public sealed record QualityTotals
{
    public int DropsReceived { get; init; }
    public int DropsAccepted { get; init; }
    public int DropsRefused { get; init; }

    /// <summary>Written as <c>rowsRead</c>, <c>rowsAccepted</c>, <c>rowsRefused</c>, <c>rowsOutOfCohort</c>, <c>rowsHeld</c>.</summary>
    [JsonRowCounts(Rejected = "Refused")]
    public RowCounts Rows { get; init; }
}

public sealed record DropTypeQuality
{
    public required string DropType { get; init; }

    /// <summary>An agreement in force in the quarter covers this drop type.</summary>
    public bool Covered { get; init; }

    /// <summary><c>received</c> (an accepted drop arrived), <c>refused-only</c>, or <c>missing</c> (nothing arrived).</summary>
    public required string State { get; init; }
    public DateTimeOffset? LastReceivedAt { get; init; }
    public int DropsReceived { get; init; }
    public int DropsAccepted { get; init; }
    public int DropsRefused { get; init; }

    /// <summary>Summed over the receipts; written as <c>rowsRead</c>, <c>rowsAccepted</c>, <c>rowsRefused</c>, … .</summary>
    [JsonRowCounts(Rejected = "Refused")]
    public RowCounts Rows { get; init; }

    /// <summary>
    /// Row findings per rule, summed over the receipts' <c>errorCounts</c> (a row can break more than one rule).
    /// Ordered by count, then rule. A <c>query</c> keeps the row; an <c>error</c> refuses it.
    /// </summary>
    public IReadOnlyList<RuleCount> ErrorsByRule { get; init; } = [];

    /// <summary>Drops refused whole, per refusing rule.</summary>
    public IReadOnlyList<RuleCount> DropRefusalsByRule { get; init; } = [];

    /// <summary>Per optional column: share of accepted rows with a value, weighted by each drop's accepted rows.</summary>
    public IReadOnlyList<ColumnCompleteness> Completeness { get; init; } = [];

    /// <summary>Optional columns of the drop type's schema that no accepted drop of the quarter carried.</summary>
    public IReadOnlyList<string> OptionalColumnsAbsent { get; init; } = [];

    public LinkageQuality Linkage { get; init; } = new();
}

/// <param name="Severity"><c>error</c>, <c>query</c>, or null where the rule is not known to this version.</param>
public sealed record RuleCount(string Rule, string? Severity, long Count);

/// <param name="Share">Rounded to 4 places; null when no accepted row carried the column.</param>
/// <param name="RowsAccepted">The accepted rows of the drops that carried the column: the share's base.</param>
public sealed record ColumnCompleteness(string Column, double? Share, long RowsAccepted);

/// <summary>Education rows reaching the YOT's cohort: rate = linked ÷ (linked + out of cohort); null with no such rows.</summary>
public sealed record LinkageQuality
{
    public long Linked { get; init; }
    public long OutOfCohort { get; init; }
    public double? LinkRate { get; init; }
    public IReadOnlyDictionary<string, long> LinkedBy { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);
}

public sealed record DropSummary
{
    public required string DropId { get; init; }
    public required string DropType { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required string Status { get; init; }

    /// <summary>The rule that refused the drop whole, for <c>rejected</c> drops.</summary>
    public string? RefusedBy { get; init; }

    /// <summary>As the receipt says them: <c>rowsRead</c>, <c>rowsAccepted</c>, <c>rowsRejected</c>, … .</summary>
    public RowCounts Rows { get; init; }
}

public static class QualityStates
{
    public const string Received = "received";
    public const string RefusedOnly = "refused-only";
    public const string Missing = "missing";
}

/// <summary>The provider has no agreement and has never sent a drop: there is nothing to report on.</summary>
public sealed class UnknownProviderException(string provider)
    : Exception(
        $"'{provider}' is not a provider the pipeline knows: it has no information-sharing agreement and has sent no drops. Check the id " +
        $"against its agreement ('pipeline agreements load').")
{
    public string Provider { get; } = provider;
}
