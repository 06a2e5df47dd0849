using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Drops;

/// <summary>
/// The published contracts: a schema for every drop type in schemas/drops, an example file of each that the gate
/// accepts as it stands (schemas/examples/), and a realistic export of each, with the provider system's own header
/// names, that an agreement's header aliases let through unchanged (Fixtures/exports/).
/// </summary>
/// <remarks>
/// The examples' dates of birth give ages 10-17 on the day they arrive until February 2028 (the oldest child,
/// YJ10485, turns 18 on 2028-02-14); after that yot-children draws the age query and the examples need moving on.
/// </remarks>
public sealed class SchemaExamplesTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
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

    private const string ExamplesYot = "yot-examples";
    private const string ExportsYot = "yot-exports";

    // Each test gets a new instance of the class; the cohort is sent once per fixture (the same file twice is a duplicate).
    private static readonly ConditionalWeakTable<PipelineFixture, Task<(Receipt Children, Receipt Interventions)>> ExampleCohorts = new();
    private static readonly ConditionalWeakTable<PipelineFixture, Task<(Receipt Children, Receipt Interventions)>> ExportCohorts = new();

    private static string ExamplePath(string dropType) => Path.Combine(AppContext.BaseDirectory, "schemas", "examples", $"{dropType}.csv");
    private static string ExportPath(string dropType) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "exports", $"{dropType}.csv");

    private static IReadOnlyDictionary<string, Dictionary<string, string>> Aliases { get; } =
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "exports", "aliases.json")))!;

    private static string KindOf(string dropType) => dropType switch
    {
        _ when dropType.StartsWith("yot-", StringComparison.Ordinal) => "yot",
        _ when dropType.StartsWith("school-", StringComparison.Ordinal) => "school",
        "college-enrolment" => "college",
        _ => "board-secretariat",
    };

    private static int DataRows(string path) => File.ReadAllLines(path).Skip(1).Count(l => l.Length > 0);

    private static string[] Header(string path) => File.ReadLines(path).First().Split(',');

    public static TheoryData<string> CaseDataTypes => new(SpecDropTypes.Where(t => t.StartsWith("yot-", StringComparison.Ordinal) || t == "board-attendance"));

    /// <summary>Education drop types, with how many rows of each example belong to children the YOT knows.</summary>
    public static TheoryData<string, int, int> EducationExamples => new()
    {
        // Two pupils of school A are not known to the YOT: 2 pupils x 2 sessions.
        { "school-attendance", 14, 4 },
        { "school-exclusions", 5, 2 },
        { "school-roll", 5, 2 },
        // Castellano by ULN (3), Farrow by ULN (4), Hartigan by name + date of birth (1); Nandakumar, Osei (2) and
        // Callum Farrow (same surname and initial as a child, another date of birth) are not known to the YOT.
        { "college-enrolment", 8, 4 },
    };

    public static TheoryData<string> EducationTypes => new(SpecDropTypes.Where(t => t.StartsWith("school-", StringComparison.Ordinal) || t == "college-enrolment"));

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
            Assert.True(refusals.Count == 5 && refusals.Distinct().Count() == 5, $"{dropType}: x-common-refusals must name five different rules");
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
        foreach (var personal in new[] { "legal_surname", "legal_forename", "date_of_birth", "postcode", "upn", "uln", "yot_case_ref", "victim_id" })
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

    // ---------------------------------------------------------------------------------------------------- (b)

    private Task<(Receipt Children, Receipt Interventions)> ExampleCohortAsync() => ExampleCohorts.GetValue(fixture, f => SendCohortAsync(f, ExamplesYot, "ex", ExamplePath, _ => null));

    private Task<(Receipt Children, Receipt Interventions)> ExportCohortAsync() => ExportCohorts.GetValue(fixture, f => SendCohortAsync(f, ExportsYot, "xp", ExportPath, t => Aliases[t]));

    private static async Task<(Receipt, Receipt)> SendCohortAsync(PipelineFixture f, string yot, string prefix, Func<string, string> path,
        Func<string, IReadOnlyDictionary<string, string>?> aliases)
    {
        foreach (var dropType in SpecDropTypes)
            await f.AddAgreementAsync(Agreement($"{prefix}-{dropType}", yot, [dropType], kind: KindOf(dropType), aliases: aliases(dropType)));
        var children = await f.IngestAsync($"{prefix}-yot-children", "yot-children", await File.ReadAllBytesAsync(path("yot-children")), "yot-children.csv");
        var interventions = await f.IngestAsync($"{prefix}-yot-interventions", "yot-interventions", await File.ReadAllBytesAsync(path("yot-interventions")), "yot-interventions.csv");
        return (children, interventions);
    }

    private async Task<Receipt> SendExampleAsync(string dropType)
    {
        var (children, interventions) = await ExampleCohortAsync();
        return dropType switch
        {
            "yot-children" => children,
            "yot-interventions" => interventions,
            _ => await fixture.IngestAsync($"ex-{dropType}", dropType, await File.ReadAllBytesAsync(ExamplePath(dropType)), $"{dropType}.csv"),
        };
    }

    private static void AssertClean(Receipt receipt, string dropType)
    {
        var errors = string.Join("; ", receipt.Errors.Select(e => $"line {e.Line} {e.Field} {e.Rule}: {e.Message}"));
        Assert.True(receipt.Status == ReceiptStatus.Accepted, $"{dropType}: {receipt.Status}; {errors}");
        Assert.Empty(receipt.Errors);
        Assert.Equal(0, receipt.RowsRejected);
        Assert.Empty(receipt.RulesSkipped);
    }

    [Theory]
    [MemberData(nameof(CaseDataTypes))]
    public async Task A_case_data_example_is_accepted_whole(string dropType)
    {
        var receipt = await SendExampleAsync(dropType);

        AssertClean(receipt, dropType);
        Assert.Equal(DataRows(ExamplePath(dropType)), receipt.RowsRead);
        Assert.Equal(receipt.RowsRead, receipt.RowsAccepted);
        Assert.Equal(0, receipt.RowsOutOfCohort);
        Assert.Empty(receipt.FieldsNotShared);
    }

    [Theory]
    [MemberData(nameof(EducationExamples))]
    public async Task An_education_example_is_accepted_and_links_the_children_the_YOT_knows(string dropType, int linked, int outOfCohort)
    {
        var receipt = await SendExampleAsync(dropType);

        AssertClean(receipt, dropType);
        Assert.Equal(DataRows(ExamplePath(dropType)), receipt.RowsRead);
        Assert.Equal(linked, receipt.RowsAccepted);
        Assert.Equal(outOfCohort, receipt.RowsOutOfCohort);
        Assert.Empty(receipt.FieldsNotShared);
    }

    // ---------------------------------------------------------------------------------------------------- (c)

    private async Task<Receipt> SendExportAsync(string dropType)
    {
        var (children, interventions) = await ExportCohortAsync();
        return dropType switch
        {
            "yot-children" => children,
            "yot-interventions" => interventions,
            _ => await fixture.IngestAsync($"xp-{dropType}", dropType, await File.ReadAllBytesAsync(ExportPath(dropType)), $"{dropType}-export.csv"),
        };
    }

    private static void AssertExportAccepted(Receipt receipt, string dropType)
    {
        AssertClean(receipt, dropType);
        Assert.Equal(DataRows(ExportPath(dropType)), receipt.RowsRead);
        Assert.Equal(receipt.RowsRead, receipt.RowsAccepted);
        // The export's own extra column is neither a column nor an alias: named by its position, never by its text.
        var header = Header(ExportPath(dropType)).ToList();
        var extra = header.IndexOf(header.Single(h => !Aliases[dropType].ContainsKey(h)));
        Assert.Equal([$"column {extra + 1}"], receipt.FieldsNotShared);
    }

    [Theory]
    [MemberData(nameof(CaseDataTypes))]
    public async Task A_case_system_export_is_accepted_through_its_header_aliases(string dropType) =>
        AssertExportAccepted(await SendExportAsync(dropType), dropType);

    /// <summary>Every learner and pupil in these exports is known to the YOT (one learner by name and date of birth only).</summary>
    [Theory]
    [MemberData(nameof(EducationTypes))]
    public async Task A_school_or_college_export_is_accepted_through_its_header_aliases(string dropType) =>
        AssertExportAccepted(await SendExportAsync(dropType), dropType);
}
