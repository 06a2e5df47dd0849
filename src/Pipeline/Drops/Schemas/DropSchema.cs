using System.Text.Json.Serialization;

using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Drops.Schemas;

/// <summary>A drop type's published schema (schemas/drops/{dropType}.schema.json), Frictionless table-schema style.</summary>
public sealed class DropSchema
{
    public required string Name { get; init; }
    public string? Title { get; init; }

    /// <summary>How rows reach a child: <see cref="Linkages.CaseRef"/>, <see cref="Linkages.Education"/> or <see
    /// cref="Linkages.None"/>.</summary>
    [JsonPropertyName("x-linkage")] public string Linkage { get; init; } = Linkages.CaseRef;

    /// <summary>Which quarter a row belongs to: <c>received</c> (the drop's arrival) or the name of a date field.</summary>
    [JsonPropertyName("x-period")] public string Period { get; init; } = "received";

    [JsonPropertyName("x-rules")] public IReadOnlyList<CrossFieldRule> Rules { get; init; } = [];

    /// <summary>The curated rows carry the name + date-of-birth linkage key (yot-children only).</summary>
    [JsonPropertyName("x-person-key")] public bool PersonKey { get; init; }

    /// <summary>Values that must be known from another drop type of the same YOT; until they are, the row is held.</summary>
    [JsonPropertyName("x-references")] public IReadOnlyList<FieldReference> References { get; init; } = [];

    /// <summary>The five rule codes senders of this drop type meet most, for the sender pages.</summary>
    [JsonPropertyName("x-common-refusals")] public IReadOnlyList<string> CommonRefusals { get; init; } = [];

    public required IReadOnlyList<DropField> Fields { get; init; }

    public DropField? Field(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed class DropField
{
    public required string Name { get; init; }

    /// <summary><c>string</c>, <c>date</c>, <c>integer</c>, <c>number</c> or <c>boolean</c>.</summary>
    public string Type { get; init; } = "string";

    /// <summary>An identifier or special format with its own check: upn, uln, urn, ukprn, yot-case-ref, postcode, date-of-birth.</summary>
    public string? Format { get; init; }

    public FieldConstraints Constraints { get; init; } = new();

    /// <summary>The rule code a code-list failure reports, e.g. <c>attendance-code-unknown</c>.</summary>
    [JsonPropertyName("x-rule")] public string? CodeRule { get; init; }

    /// <summary>
    /// <c>query</c> where no figure depends on the code (a reason for an exclusion or a withdrawal): a code outside the
    /// list is kept and the sender asked to check it, never refused. Default <c>error</c>: the row is refused.
    /// </summary>
    [JsonPropertyName("x-codelist-severity")] public string? CodeSeverity { get; init; }

    public RuleSeverity CodeRuleSeverity =>
        string.Equals(CodeSeverity, "query", StringComparison.OrdinalIgnoreCase) ? RuleSeverity.Query : RuleSeverity.Error;

    /// <summary>The rule code a minimum/maximum failure reports (default <c>value-out-of-range</c>).</summary>
    [JsonPropertyName("x-range-rule")] public string? RangeRule { get; init; }

    [JsonPropertyName("x-privacy")] public PrivacyTreatment? Privacy { get; init; }

    public string? Description { get; init; }

    public bool Required => Constraints.Required;
}

public sealed class FieldConstraints
{
    public bool Required { get; init; }
    public IReadOnlyList<string>? Enum { get; init; }
    [JsonPropertyName("x-codelist")] public string? CodeList { get; init; }
    public int? MaxLength { get; init; }
    public double? Minimum { get; init; }
    public double? Maximum { get; init; }
    [JsonPropertyName("x-not-future")] public bool NotFuture { get; init; }
    [JsonPropertyName("x-weekday")] public bool Weekday { get; init; }
    [JsonPropertyName("x-age-range")] public AgeRange? AgeRange { get; init; }
}

/// <summary>The ages a date of birth is expected to give; outside it is a query, not an error.</summary>
public sealed record AgeRange(int Min, int Max);

public sealed record FieldReference(string Field, string DropType);

public static class Linkages
{
    public const string CaseRef = "case-ref";
    public const string Education = "education";
    public const string None = "none";
}

/// <summary>What the gate does with a field before anything is stored.</summary>
public sealed class PrivacyTreatment
{
    public required PrivacyAction Action { get; init; }

    /// <summary>The pseudonym domain (each has its own derived key), for <c>pseudonymise</c>.</summary>
    public string? Domain { get; init; }

    /// <summary>The curated column the pseudonym is written to, for <c>pseudonymise</c>.</summary>
    public string? As { get; init; }
}

/// <summary>A rule over several fields of a row, or over rows of a drop (schemas/README.md, "x-rules entries").</summary>
public sealed class CrossFieldRule
{
    public required string Rule { get; init; }

    /// <summary><c>order</c>, <c>unique</c>, <c>no-overlap</c>, <c>required-when</c>, <c>allowed-when</c> or <c>not-when</c>.</summary>
    public string Kind { get; init; } = RuleKinds.Order;

    /// <summary><c>error</c> (the default: the row is refused) or <c>query</c> (kept, the sender is asked to check).</summary>
    public string Severity { get; init; } = "error";

    public string? Start { get; init; }
    public string? End { get; init; }
    public string? Field { get; init; }
    public IReadOnlyList<string> Fields { get; init; } = [];
    public IReadOnlyList<string> In { get; init; } = [];
    public IReadOnlyList<RuleCondition> When { get; init; } = [];
    public string? Checks { get; init; }
    public string? Fix { get; init; }

    /// <summary>Every field the rule reads; a rule whose fields the agreement does not share is skipped, and the receipt says so.</summary>
    public IEnumerable<string> ReadsFields() =>
        new[] { Start, End, Field }.OfType<string>().Concat(Fields).Concat(When.Select(w => w.Field)).Distinct(StringComparer.Ordinal);
}

public static class RuleKinds
{
    public const string Order = "order";
    public const string Unique = "unique";
    public const string NoOverlap = "no-overlap";
    public const string RequiredWhen = "required-when";
    public const string AllowedWhen = "allowed-when";
    public const string NotWhen = "not-when";
}

public sealed class RuleCondition
{
    public required string Field { get; init; }
    public IReadOnlyList<string>? In { get; init; }
    public bool? Present { get; init; }
}
