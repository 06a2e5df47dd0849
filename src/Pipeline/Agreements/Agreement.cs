namespace YouthJustice.Pipeline.Agreements;

/// <summary>An information-sharing agreement (schemas/agreement.schema.json).</summary>
public sealed record Agreement
{
    public required string Id { get; init; }
    public required AgreementProvider Provider { get; init; }
    public required string Yot { get; init; }
    public required string Purpose { get; init; }
    public required string LawfulBasis { get; init; }
    public required DateOnly ValidFrom { get; init; }
    public required DateOnly ValidTo { get; init; }
    public required IReadOnlyList<AgreedDropType> DropTypes { get; init; }
    public required RetentionPolicy Retention { get; init; }
    public required double RowErrorThreshold { get; init; }

    public bool InForceOn(DateOnly day) => day >= ValidFrom && day <= ValidTo;

    public AgreedDropType? Covering(string dropType) =>
        DropTypes.FirstOrDefault(d => string.Equals(d.DropType, dropType, StringComparison.Ordinal));
}

public sealed record AgreementProvider
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public string? Urn { get; init; }
    public string? Ukprn { get; init; }
}

public sealed record AgreedDropType
{
    public required string DropType { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public IReadOnlyDictionary<string, string>? HeaderAliases { get; init; }

    public bool Shares(string column) => Columns.Contains(column, StringComparer.OrdinalIgnoreCase);
}

public sealed record RetentionPolicy
{
    public required int RawDropDays { get; init; }
    public required int QuarantineDays { get; init; }
    public required int CuratedDays { get; init; }
}
