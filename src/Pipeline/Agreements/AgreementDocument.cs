using System.Text.Json;
using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Agreements;

/// <summary>
/// Reads an agreement from its JSON file and checks it against the rules of schemas/agreement.schema.json
/// (the JSON Schema validator package cannot be restored here, so the same rules are checked in code and a test
/// keeps the two in step).
/// </summary>
public static partial class AgreementDocument
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Agreement Parse(string json, string source)
    {
        Agreement? agreement;
        try
        {
            agreement = JsonSerializer.Deserialize<Agreement>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidAgreementException(source, [$"not a valid agreement document: {ex.Message}"]);
        }
        if (agreement is null) throw new InvalidAgreementException(source, ["the file is empty"]);
        var problems = Check(agreement);
        if (problems.Count > 0) throw new InvalidAgreementException(source, problems);
        return agreement;
    }

    public static string Serialize(Agreement agreement) => JsonSerializer.Serialize(agreement, JsonOptions);

    public static IReadOnlyList<string> Check(Agreement a, SchemaCatalogue? catalogue = null)
    {
        catalogue ??= SchemaCatalogue.Default;
        var problems = new List<string>();
        if (!IdPattern().IsMatch(a.Id)) problems.Add("id: use letters, digits, '.', '_' or '-' (up to 64)");
        if (!NameRules.IsId(a.Provider.Id)) problems.Add($"provider.id: use {NameRules.IdRule}");
        if (a.Provider.Kind is not ("school" or "college" or "yot" or "board-secretariat"))
            problems.Add("provider.kind: must be school, college, yot or board-secretariat");
        if (a.Provider.Urn is { } urn && !UrnPattern().IsMatch(urn)) problems.Add("provider.urn: must be 6 digits");
        if (a.Provider.Ukprn is { } ukprn && !UkprnPattern()
            .IsMatch(ukprn)) problems.Add("provider.ukprn: must be 8 digits starting with 1");
        if (!NameRules.IsId(a.Yot)) problems.Add($"yot: use {NameRules.IdRule}");
        if (string.IsNullOrWhiteSpace(a.Purpose)) problems.Add("purpose: required");
        if (string.IsNullOrWhiteSpace(a.LawfulBasis)) problems.Add("lawfulBasis: required");
        if (a.ValidTo < a.ValidFrom) problems.Add("validTo: must not be before validFrom");
        if (a.RowErrorThreshold is < 0 or > 1) problems.Add("rowErrorThreshold: must be between 0 and 1");
        if (a.Retention.RawDropDays < 0 || a.Retention.QuarantineDays < 0 || a.Retention.CuratedDays < 1)
            problems.Add("retention: days must be 0 or more (curatedDays 1 or more)");
        if (a.DropTypes.Count == 0) problems.Add("dropTypes: at least one drop type");
        foreach (var d in a.DropTypes)
        {
            if (!catalogue.TryGet(d.DropType, out var schema))
            {
                problems.Add($"dropTypes: '{d.DropType}' is not a known drop type");
                continue;
            }
            foreach (var c in d.Columns.Where(c => schema.Field(c) is null))
                problems.Add($"dropTypes[{d.DropType}].columns: '{c}' is not a column of {d.DropType}");
            // A drop missing a required column is refused whole, so an agreement that withholds one could never be used.
            foreach (var f in schema.Fields.Where(f => f.Required && !d.Shares(f.Name)))
                problems.Add($"dropTypes[{d.DropType}].columns: must include the required column '{f.Name}'");
            foreach (var (alias, target) in d.HeaderAliases ?? new Dictionary<string, string>())
                if (schema.Field(target) is null)
                    problems.Add(
                        $"dropTypes[{d.DropType}].headerAliases: '{alias}' maps to '{target}', which is not a column of {d.DropType}");
        }
        return problems;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")] private static partial Regex IdPattern();
    [GeneratedRegex("^[0-9]{6}$")] private static partial Regex UrnPattern();
    [GeneratedRegex("^1[0-9]{7}$")] private static partial Regex UkprnPattern();
}

public sealed class InvalidAgreementException(string source, IReadOnlyList<string> problems)
    : Exception($"Agreement {source} is not valid: {string.Join("; ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
