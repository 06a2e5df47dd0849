using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Submissions;

namespace YouthJustice.Pipeline.Tests.Submissions;

/// <summary>
/// schemas/kpi-return.schema.json and the code that writes and checks returns stay in step (the JSON Schema validator
/// cannot be restored here, so <see cref="KpiReturnDocument.Check"/> holds its rules): what the schema requires is what
/// the code always writes, and the code refuses what the schema refuses.
/// </summary>
public sealed class KpiReturnSchemaTests
{
    private static readonly JsonNode Schema =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", "kpi-return.schema.json")))!;

    private static List<string> Required(JsonNode node) => node["required"]!.AsArray().Select(n => n!.GetValue<string>())
        .Order(StringComparer.Ordinal).ToList();

    private static List<string> Written(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<RequiredMemberAttribute>() is not null)
        .Where(p => p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
        .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void The_schema_requires_exactly_the_fields_the_code_writes()
    {
        var rows = Schema["properties"]!["rows"]!["items"]!;
        var cells = rows["properties"]!["cells"]!["items"]!;
        Assert.Equal(Required(Schema), Written(typeof(KpiReturn)));
        Assert.Equal(Required(Schema["properties"]!["disclosure"]!), Written(typeof(ReturnDisclosure)));
        Assert.Equal(Required(rows), Written(typeof(ReturnRow)));
        Assert.Equal(Required(cells), Written(typeof(ReturnCell)));
        Assert.Equal(Required(rows["properties"]!["unit"]!), Written(typeof(ReturnUnit)));
        // additionalProperties false: every property the code writes is declared.
        Assert.Equal(Written(typeof(KpiReturn)), Schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_schema_names_the_cell_states_and_version_the_code_uses()
    {
        var cells = Schema["properties"]!["rows"]!["items"]!["properties"]!["cells"]!["items"]!;
        Assert.Equal(CellStates.All, cells["properties"]!["state"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(KpiReturn.CurrentSchemaVersion, Schema["properties"]!["schemaVersion"]!["const"]!.GetValue<string>());
        Assert.Equal(ReturnLayout.Total, Schema["properties"]!["columns"]!["prefixItems"]![0]!["const"]!.GetValue<string>());
    }

    private static KpiReturn Valid() => new()
    {
        SchemaVersion = KpiReturn.CurrentSchemaVersion, Yot = "yot-a", Period = "2026-Q2", PeriodLabel = "2026/27 Q1", Version = 1,
        ContentHash = new string('a', 64), BuiltAt = DateTimeOffset.UnixEpoch, EngineVersion = "e",
            Disclosure = new ReturnDisclosure { Threshold = 4, RoundTo = 0 },
        Columns = ["Total", "Referral order"], SourceDrops = [new string('b', 64)],
        Rows =
        [
            new ReturnRow
            {
                Id = "kpi1-accommodation", Kpi = "kpi1-accommodation", Measure = "kpi1-accommodation", Title = "t", Split = "end",
                    Breakdown = null, Group = null, Scale = 1,
                Unit = new ReturnUnit { Numerator = "children", Denominator = "children", Value = "fraction" },
                Cells =
                [
                    new ReturnCell { Column = "Total", State = CellStates.Published, Numerator = 0, Denominator = 0, Value = null },
                    new ReturnCell { Column = "Referral order", State = CellStates.Withheld, Numerator = null, Denominator = null,
                        Value = null },
                ],
            },
        ],
    };

    [Fact]
    public void The_check_passes_a_valid_return_and_names_each_broken_rule()
    {
        Assert.Empty(KpiReturnDocument.Check(Valid()));
        var bad = Valid() with
        {
            Period = "2026-Q5", ContentHash = "xyz", SourceDrops = ["not-a-drop"],
            Rows =
            [
                Valid().Rows[0] with
                {
                    Split = "middle",
                    Cells =
                    [
                        new ReturnCell { Column = "Total", State = CellStates.Published, Numerator = 3, Denominator = 0, Value = 1 },
                        new ReturnCell { Column = "Referral order", State = CellStates.Withheld, Numerator = 2, Denominator = null,
                            Value = null },
                    ],
                },
            ],
        };
        var problems = KpiReturnDocument.Check(bad);
        Assert.Contains(problems, p => p.StartsWith("period", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("contentHash", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("sourceDrops", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(".split", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cells[Total].value", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("a withheld cell carries no figures", StringComparison.Ordinal));
    }

    [Fact]
    public void The_content_hash_ignores_build_time_version_and_drops_but_not_a_suppression_state()
    {
        var a = Valid();
        var hash = KpiReturnDocument.ContentHash(a.Yot, a.Period, a.Rows);
        Assert.Equal(hash, KpiReturnDocument.ContentHash(a.Yot, a.Period,
            (a with { Version = 7, BuiltAt = DateTimeOffset.UtcNow, SourceDrops = [] }).Rows));
        var unwithheld =
            a.Rows[0] with { Cells =
            [a.Rows[0].Cells[0], new ReturnCell { Column = "Referral order", State = CellStates.Published, Numerator = 0, Denominator = 0,
            Value = null }] };
        Assert.NotEqual(hash, KpiReturnDocument.ContentHash(a.Yot, a.Period, [unwithheld]));
        Assert.Equal(["kpi1-accommodation/Referral order"], KpiReturnDocument.Changes(a, a with { Rows = [unwithheld] }));
    }
}
