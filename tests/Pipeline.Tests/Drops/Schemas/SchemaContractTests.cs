using System.Text.Json;
using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Tests.Drops.Schemas;

/// <summary>
/// The published contracts as files, without sending any: a schema for every drop type in schemas/drops, an example
/// of each (schemas/examples/) and a realistic export with its header aliases (Fixtures/exports/), consistent with
/// each other and with the rule catalogue. <c>SchemaExamplesTests</c> sends them through the gate.
/// </summary>
public sealed class SchemaContractTests
{
    public static readonly string[] SpecDropTypes =
    [
        "yot-children", "yot-interventions", "yot-offences", "yot-accommodation", "yot-ete", "yot-send", "yot-health",
        "yot-care-status", "yot-victims", "board-attendance", "school-attendance", "school-exclusions", "school-roll", "college-enrolment",
    ];

    /// <summary>
    /// A date of birth stops at the gate except on the YOT's own children (privacy action <c>date-of-birth</c>): a pupil's
    /// or learner's becomes an age there, and no other schema may keep one.
    /// </summary>
    [Fact]
    public void Only_yot_children_keeps_a_date_of_birth()
    {
        var keeping = SpecDropTypes.Select(SchemaCatalogue.Default.Get)
            .Where(s => s.Fields.Any(f => f.Privacy?.Action == PrivacyAction.DateOfBirth)).Select(s => s.Name).ToList();
        Assert.Equal(["yot-children"], keeping);
        foreach (var type in new[] { "school-attendance", "school-roll", "college-enrolment" })
            Assert.Equal(PrivacyAction.Age, SchemaCatalogue.Default.Get(type).Field("date_of_birth")!.Privacy!.Action);
    }

    internal static string ExamplePath(string dropType) => Path.Combine(AppContext.BaseDirectory, "schemas", "examples", $"{dropType}.csv");
    internal static string ExportPath(string dropType) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "exports", $"{dropType}.csv");

    internal static IReadOnlyDictionary<string, Dictionary<string, string>> Aliases { get; } =
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "exports", "aliases.json")))!;

    internal static int DataRows(string path) => File.ReadAllLines(path).Skip(1).Count(l => l.Length > 0);

    internal static string[] Header(string path) => File.ReadLines(path).First().Split(',');

    // ---------------------------------------------------------------------------------------------------- (a)

    [Fact]
    public void Every_drop_type_in_the_spec_has_a_schema_an_example_and_a_realistic_export()
    {
        Assert.Equal(SpecDropTypes.Order(StringComparer.Ordinal), SchemaCatalogue.Default.DropTypes);
        foreach (var dropType in SchemaCatalogue.Default.DropTypes)
        {
            Assert.True(File.Exists(ExamplePath(dropType)), $"schemas/examples/{dropType}.csv is missing");
            Assert.True(File.Exists(ExportPath(dropType)), $"Fixtures/exports/{dropType}.csv is missing");
            Assert.True(Aliases.ContainsKey(dropType), $"aliases.json has no entry for {dropType}");
            Assert.InRange(DataRows(ExamplePath(dropType)), 5, 20);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void An_example_has_exactly_the_schema_columns_in_schema_order(string dropType)
    {
        var schema = SchemaCatalogue.Default.Get(dropType);
        Assert.Equal(schema.Fields.Select(f => f.Name), Header(ExamplePath(dropType)));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void An_export_maps_every_column_but_one_extra_to_a_schema_column(string dropType)
    {
        var schema = SchemaCatalogue.Default.Get(dropType);
        var aliases = Aliases[dropType];
        var header = Header(ExportPath(dropType));
        Assert.All(aliases.Values, target => Assert.NotNull(schema.Field(target)));
        Assert.Single(header, h => !aliases.ContainsKey(h));
        Assert.Equal(schema.Fields.Select(f => f.Name).Order(), header.Where(aliases.ContainsKey).Select(h => aliases[h]).Order());
    }

    public static TheoryData<string> AllTypes => new(SpecDropTypes);

    // ---------------------------------------------------------------------------------------------------- (d)

    [Fact]
    public void Every_schema_names_five_common_refusals_that_exist()
    {
        var known = new HashSet<string>(RuleCatalogue.All.Select(r => r.Code), StringComparer.Ordinal);
        var schemas = SpecDropTypes.ToDictionary(t => t, t => SchemaCatalogue.ReadEmbedded($"drops/{t}.schema.json"));
        foreach (var schema in schemas.Values)
        {
            foreach (var rule in schema["x-rules"]?.AsArray() ?? []) known.Add(rule!["rule"]!.GetValue<string>());
            foreach (var field in schema["fields"]!.AsArray())
            {
                if (field!["x-rule"] is { } code) known.Add(code.GetValue<string>());
                if (field["x-range-rule"] is { } range) known.Add(range.GetValue<string>());
            }
        }

        foreach (var (dropType, schema) in schemas)
        {
            var refusals = schema["x-common-refusals"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
            Assert.True(refusals.Count == 5 && refusals.Distinct().Count() == 5,
                $"{dropType}: x-common-refusals must name five different rules");
            Assert.All(refusals, code => Assert.True(known.Contains(code), $"{dropType}: '{code}' is not a rule the gate knows"));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void A_schema_is_well_formed(string dropType)
    {
        var raw = SchemaCatalogue.ReadEmbedded($"drops/{dropType}.schema.json");
        var fields = raw["fields"]!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!);
        bool IsDate(string name) => fields.TryGetValue(name, out var f) && f["type"]!.GetValue<string>() == "date";
        var code = new Regex("^[a-z0-9]+(-[a-z0-9]+)*$");

        Assert.Equal(dropType, raw["name"]!.GetValue<string>());
        Assert.Contains(raw["x-linkage"]!.GetValue<string>(), new[] { "case-ref", "education", "none" });
        var period = raw["x-period"]!.GetValue<string>();
        if (period != "received")
        {
            Assert.True(IsDate(period), $"x-period '{period}' is not a date field");
            Assert.True(fields[period]["constraints"]?["required"]?.GetValue<bool>() == true, $"x-period '{period}' must be required");
        }

        foreach (var f in fields.Values)
        {
            if (f["constraints"]?["x-codelist"] is { } list) SchemaCatalogue.Default.CodeList(list.GetValue<string>());
            if (f["x-rule"] is { } r) Assert.Matches(code, r.GetValue<string>());
            if (f["x-range-rule"] is { } rr) Assert.Matches(code, rr.GetValue<string>());
            if (f["x-privacy"]?["action"]?.GetValue<string>() == "pseudonymise")
            {
                Assert.NotNull(f["x-privacy"]!["domain"]);
                Assert.NotNull(f["x-privacy"]!["as"]);
            }
        }
        // Names, dates of birth, postcodes and personal identifiers never reach curated as they were sent.
        foreach (var personal in new[] { "legal_surname", "legal_forename", "date_of_birth", "postcode", "upn", "uln", "yot_case_ref",
            "victim_id" })
            if (fields.TryGetValue(personal, out var f)) Assert.NotNull(f["x-privacy"]);

        foreach (var rule in raw["x-rules"]?.AsArray() ?? [])
        {
            var name = rule!["rule"]!.GetValue<string>();
            Assert.Matches(code, name);
            Assert.False(string.IsNullOrWhiteSpace(rule["checks"]?.GetValue<string>()), $"{name}: no checks text");
            Assert.False(string.IsNullOrWhiteSpace(rule["fix"]?.GetValue<string>()), $"{name}: no fix text");
            var kind = rule["kind"]!.GetValue<string>();
            Assert.Contains(kind, new[] { "order", "unique", "no-overlap", "required-when", "allowed-when", "not-when" });
            if (kind is "order" or "no-overlap")
            {
                Assert.True(IsDate(rule["start"]!.GetValue<string>()), $"{name}: start is not a date field");
                Assert.True(IsDate(rule["end"]!.GetValue<string>()), $"{name}: end is not a date field");
            }
            var read = new List<string>();
            foreach (var key in new[] { "start", "end", "field" })
                if (rule[key] is { } v) read.Add(v.GetValue<string>());
            read.AddRange(rule["fields"]?.AsArray().Select(n => n!.GetValue<string>()) ?? []);
            read.AddRange(rule["when"]?.AsArray().Select(n => n!["field"]!.GetValue<string>()) ?? []);
            Assert.All(read, field => Assert.True(fields.ContainsKey(field), $"{name}: '{field}' is not a field of {dropType}"));
        }
    }
}
