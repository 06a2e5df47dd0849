namespace YouthJustice.Pipeline.Drops.Schemas;

/// <summary>A published code list (schemas/codelists/*.json): the codes a field accepts.</summary>
public sealed class CodeList(string name, IReadOnlySet<string> codes)
{
    public string Name { get; } = name;
    public IReadOnlySet<string> Codes { get; } = codes;
    public string? Title { get; init; }
    public string? Version { get; init; }

    /// <summary>Where the codes come from (the published specification and its year), so a reader can check them.</summary>
    public string? Source { get; init; }
}
