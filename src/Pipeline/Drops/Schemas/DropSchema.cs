using System.Text.Json.Serialization;

namespace YouthJustice.Pipeline.Drops.Schemas;

/// <summary>A drop type's published schema (schemas/drops/{dropType}.schema.json), Frictionless table-schema style.</summary>
public sealed class DropSchema
{
    public required string Name { get; init; }
    public string? Title { get; init; }

    /// <summary>How rows reach a child: <c>case-ref</c> (the YOT's own data) or <c>upn</c> (school data).</summary>
    [JsonPropertyName("x-linkage")] public string Linkage { get; init; } = "case-ref";

    /// <summary>Which quarter a row belongs to: <c>received</c> (the drop's arrival) or the name of a date field.</summary>
    [JsonPropertyName("x-period")] public string Period { get; init; } = "received";

    [JsonPropertyName("x-rules")] public IReadOnlyList<CrossFieldRule> Rules { get; init; } = [];

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
}

/// <summary>What the gate does with a field before anything is stored.</summary>
public sealed class PrivacyTreatment
{
    /// <summary><c>pseudonymise</c>, <c>remove</c>, <c>age</c>, <c>birth-month</c> or <c>postcode-district</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The pseudonym domain (each has its own derived key), for <c>pseudonymise</c>.</summary>
    public string? Domain { get; init; }

    /// <summary>The curated column the pseudonym is written to, for <c>pseudonymise</c>.</summary>
    public string? As { get; init; }
}

public sealed class CrossFieldRule
{
    public required string Rule { get; init; }
    public string? Start { get; init; }
    public string? End { get; init; }
}
