namespace YouthJustice.Pipeline.Drops.Schemas;

/// <summary>A published code list (schemas/codelists/*.json): the codes a field accepts.</summary>
public sealed class CodeList(string name, IReadOnlySet<string> codes)
{
    public string Name { get; } = name;
    public IReadOnlySet<string> Codes { get; } = codes;
    public string? Title { get; init; }
    public string? Version { get; init; }
}
