using System.Text.Json;
using System.Text.Json.Nodes;

namespace YouthJustice.Pipeline.Drops.Schemas;

/// <summary>
/// The drop schemas and code lists published in schemas/, embedded in the library at build time so that
/// validation is driven by exactly the published files.
/// </summary>
public sealed class SchemaCatalogue
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, DropSchema> _schemas;
    private readonly Dictionary<string, CodeList> _codeLists;

    private SchemaCatalogue(Dictionary<string, DropSchema> schemas, Dictionary<string, CodeList> codeLists)
    {
        _schemas = schemas;
        _codeLists = codeLists;
    }

    public static SchemaCatalogue Default { get; } = LoadEmbedded();

    public IEnumerable<string> DropTypes => _schemas.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string dropType, out DropSchema schema) => _schemas.TryGetValue(dropType, out schema!);

    public DropSchema Get(string dropType) =>
        _schemas.TryGetValue(dropType, out var s) ? s : throw new KeyNotFoundException($"Unknown drop type '{dropType}'.");

    public IEnumerable<CodeList> CodeLists => _codeLists.Values.OrderBy(c => c.Name, StringComparer.Ordinal);

    /// <summary>The accepted example file of a drop type (schemas/examples/{dropType}.csv), or null if none is published.</summary>
    public static string? Example(string dropType)
    {
        using var stream = typeof(SchemaCatalogue).Assembly.GetManifestResourceStream($"schemas/examples/{dropType}.csv");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public CodeList CodeList(string name) =>
        _codeLists.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"Unknown code list '{name}'.");

    /// <summary>The raw JSON of a published file, e.g. <c>codelists/attendance-codes.json</c>.</summary>
    public static JsonNode ReadEmbedded(string path)
    {
        using var stream = typeof(SchemaCatalogue).Assembly.GetManifestResourceStream("schemas/" + path)
            ?? throw new FileNotFoundException($"schemas/{path} is not embedded in the library.");
        return JsonNode.Parse(stream)!;
    }

    private static SchemaCatalogue LoadEmbedded()
    {
        var asm = typeof(SchemaCatalogue).Assembly;
        var schemas = new Dictionary<string, DropSchema>(StringComparer.Ordinal);
        var codeLists = new Dictionary<string, CodeList>(StringComparer.Ordinal);
        foreach (var name in asm.GetManifestResourceNames())
        {
            if (name.StartsWith("schemas/drops/", StringComparison.Ordinal) && name.EndsWith(".schema.json", StringComparison.Ordinal))
            {
                using var s = asm.GetManifestResourceStream(name)!;
                var schema = Parse(s, name);
                schemas[schema.Name] = schema;
            }
            else if (name.StartsWith("schemas/codelists/", StringComparison.Ordinal))
            {
                var list = ParseCodeList(ReadEmbedded(name["schemas/".Length..]));
                codeLists[list.Name] = list;
            }
        }
        return new SchemaCatalogue(schemas, codeLists);
    }

    /// <summary>A drop schema from its JSON; a schema the gate could not apply as written (an unknown privacy action) is refused, naming
    /// the file and the place.</summary>
    public static DropSchema Parse(Stream json, string file)
    {
        try
        {
            return JsonSerializer.Deserialize<DropSchema>(json, JsonOptions) ?? throw new JsonException("The file holds no schema.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file}: {ex.Message}", ex);
        }
    }

    // A code list is either {"codes": {code: label}} or {"groups": {g: {"codes": [...]}}}.
    private static CodeList ParseCodeList(JsonNode node)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        if (node["codes"] is JsonObject map)
            foreach (var kv in map) codes.Add(kv.Key);
        if (node["groups"] is JsonObject groups)
            foreach (var g in groups)
                foreach (var c in g.Value!["codes"]!.AsArray()) codes.Add(c!.GetValue<string>());
        return new CodeList(node["name"]!.GetValue<string>(), codes) { Title = node["title"]?.GetValue<string>(),
            Version = node["version"]?.GetValue<string>(), Source = node["source"]?.GetValue<string>() };
    }
}
