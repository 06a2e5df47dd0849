using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;
using static YouthJustice.Pipeline.Tests.Drops.Schemas.SchemaContractTests;

namespace YouthJustice.Pipeline.Tests.Drops.Schemas;

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
    private const string ExamplesYot = "yot-examples";
    private const string ExportsYot = "yot-exports";

    // Each test gets a new instance of the class; the cohort is sent once per fixture (the same file twice is a duplicate).
    private static readonly ConditionalWeakTable<PipelineFixture, Task<(Receipt Children, Receipt Interventions)>> ExampleCohorts = new();
    private static readonly ConditionalWeakTable<PipelineFixture, Task<(Receipt Children, Receipt Interventions)>> ExportCohorts = new();

    public static TheoryData<string> CaseDataTypes =>
        new(SpecDropTypes.Where(t => t.StartsWith("yot-", StringComparison.Ordinal) || t == "board-attendance"));

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

    public static TheoryData<string> EducationTypes =>
        new(SpecDropTypes.Where(t => t.StartsWith("school-", StringComparison.Ordinal) || t == "college-enrolment"));

    // ---------------------------------------------------------------------------------------------------- (b)

    private Task<(Receipt Children, Receipt Interventions)> ExampleCohortAsync() =>
        ExampleCohorts.GetValue(fixture, f => SendCohortAsync(f, ExamplesYot, "ex", ExamplePath, _ => null));

    private Task<(Receipt Children, Receipt Interventions)> ExportCohortAsync() =>
        ExportCohorts.GetValue(fixture, f => SendCohortAsync(f, ExportsYot, "xp", ExportPath, t => Aliases[t]));

    private static async Task<(Receipt, Receipt)> SendCohortAsync(PipelineFixture f, string yot, string prefix, Func<string, string> path,
        Func<string, IReadOnlyDictionary<string, string>?> aliases)
    {
        foreach (var dropType in SpecDropTypes)
            await f.AddAgreementAsync(Agreement($"{prefix}-{dropType}", yot, [dropType], kind: ProviderKindOf(dropType),
                aliases: aliases(dropType)));
        var children = await f.IngestAsync($"{prefix}-yot-children", "yot-children", await File.ReadAllBytesAsync(path("yot-children")),
            "yot-children.csv");
        var interventions = await f.IngestAsync($"{prefix}-yot-interventions", "yot-interventions",
            await File.ReadAllBytesAsync(path("yot-interventions")), "yot-interventions.csv");
        return (children, interventions);
    }

    private async Task<Receipt> SendExampleAsync(string dropType)
    {
        var (children, interventions) = await ExampleCohortAsync();
        return dropType switch
        {
            "yot-children" => children,
            "yot-interventions" => interventions,
            _ => await fixture.IngestAsync($"ex-{dropType}", dropType, await File.ReadAllBytesAsync(ExamplePath(dropType)),
                $"{dropType}.csv"),
        };
    }

    private static void AssertClean(Receipt receipt, string dropType)
    {
        var errors = string.Join("; ", receipt.Errors.Select(e => $"line {e.Line} {e.Field} {e.Rule}: {e.Message}"));
        Assert.True(receipt.Status == ReceiptStatus.Accepted, $"{dropType}: {receipt.Status}; {errors}");
        Assert.Empty(receipt.Errors);
        Assert.Equal(0, receipt.Rows.Rejected);
        Assert.Empty(receipt.RulesSkipped);
    }

    [Theory]
    [MemberData(nameof(CaseDataTypes))]
    public async Task A_case_data_example_is_accepted_whole(string dropType)
    {
        var receipt = await SendExampleAsync(dropType);

        AssertClean(receipt, dropType);
        Assert.Equal(DataRows(ExamplePath(dropType)), receipt.Rows.Read);
        Assert.Equal(receipt.Rows.Read, receipt.Rows.Accepted);
        Assert.Equal(0, receipt.Rows.OutOfCohort);
        Assert.Empty(receipt.FieldsNotShared);
    }

    [Theory]
    [MemberData(nameof(EducationExamples))]
    public async Task An_education_example_is_accepted_and_links_the_children_the_YOT_knows(string dropType, int linked, int outOfCohort)
    {
        var receipt = await SendExampleAsync(dropType);

        AssertClean(receipt, dropType);
        Assert.Equal(DataRows(ExamplePath(dropType)), receipt.Rows.Read);
        Assert.Equal(linked, receipt.Rows.Accepted);
        Assert.Equal(outOfCohort, receipt.Rows.OutOfCohort);
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
            _ => await fixture.IngestAsync($"xp-{dropType}", dropType, await File.ReadAllBytesAsync(ExportPath(dropType)),
                $"{dropType}-export.csv"),
        };
    }

    private static void AssertExportAccepted(Receipt receipt, string dropType)
    {
        AssertClean(receipt, dropType);
        Assert.Equal(DataRows(ExportPath(dropType)), receipt.Rows.Read);
        Assert.Equal(receipt.Rows.Read, receipt.Rows.Accepted);
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
