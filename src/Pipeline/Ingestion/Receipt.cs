using System.Text.Json.Serialization;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>The answer to every drop (a contract; the README shows its fields): what was accepted, what was not and why.</summary>
public sealed record Receipt
{
    public required string DropId { get; init; }
    public required string Provider { get; init; }
    public required string DropType { get; init; }
    public string? Agreement { get; init; }
    public required string Status { get; init; }

    /// <summary>Written as <c>rowsRead</c>, <c>rowsAccepted</c>, <c>rowsRejected</c>, <c>rowsOutOfCohort</c>, <c>rowsHeld</c>.</summary>
    public RowCounts Rows { get; init; }

    /// <summary>School and college rows linked to a child, by the key that linked them.</summary>
    public IReadOnlyDictionary<string, long> LinkedBy { get; init; } = new SortedDictionary<string, long>();

    /// <summary>Share of accepted rows with a value, per optional column the file shares.</summary>
    public IReadOnlyDictionary<string, double> Completeness { get; init; } = new SortedDictionary<string, double>();
    public IReadOnlyList<string> FieldsNotShared { get; init; } = [];
    public string RuleCatalogueVersion { get; init; } = RuleCatalogue.Version;
    public IReadOnlyDictionary<string, long> ErrorCounts { get; init; } = new SortedDictionary<string, long>();
    public IReadOnlyList<string> RulesRun { get; init; } = [];
    public IReadOnlyList<SkippedRule> RulesSkipped { get; init; } = [];
    [JsonConverter(typeof(RowErrorListConverter))]
    public IReadOnlyList<RowError> Errors { get; init; } = [];
    public bool ErrorsTruncated { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required DateTimeOffset ProcessedAt { get; init; }

    /// <summary>
    /// A <c>duplicate</c> answered while another worker is processing the same drop (its claim still holds): the counts
    /// are not known yet, and the drop's own receipt follows when that worker is done. Written only when true.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool InProgress { get; init; }
}

public sealed record SkippedRule(string Rule, string Reason);

public static class ReceiptStatus
{
    public const string Accepted = "accepted";
    public const string AcceptedWithErrors = "accepted-with-errors";
    public const string Rejected = "rejected";
    public const string Duplicate = "duplicate";
}
