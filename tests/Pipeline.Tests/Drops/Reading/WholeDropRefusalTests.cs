using System.Text;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Drops.Reading;

/// <summary>A file that cannot be used as a whole is refused with one specific rule, quarantined, and nothing of it reaches
/// curated.</summary>
public sealed class WholeDropRefusalTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Provider = "school-whole";

    public async Task InitializeAsync()
    {
        await fixture.AddAgreementAsync(Agreement("yot-whole-case", "yot-whole", ["yot-children"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement(Provider, "yot-whole", ["school-attendance"], threshold: 0.25));
        // A cohort, so that accepted rows would reach curated if the gate let them through.
        await fixture.IngestAsync("yot-whole-case", "yot-children", Csv(ChildrenHeader, $"W-1,{Upn(1)},,Wells,Kit,2012-01-01,1,WBRI,,Y"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Row(int serial, string code = "/") => $"{Upn(serial)},Wells,Kit,2012-01-01,100001,2026-04-20,AM,{code}";

    public static TheoryData<string, byte[], string> Cases => new()
    {
        { "empty", [], "file-empty" },
        { "header only", Bytes(AttendanceHeader + "\r\n"), "file-no-rows" },
        { "missing required column", Bytes(Csv("upn,date_of_birth,urn,session_date,session", $"{Upn(1)},2012-01-01,100001,2026-04-20,AM")),
            "required-column-missing" },
        { "Windows-1252", Encoding.Latin1.GetBytes(Csv(AttendanceHeader, $"{Upn(1)},Ståhl,Zoë,2012-01-01,100001,2026-04-20,AM,/")),
            "file-not-utf8" },
        { "semicolons", Bytes(Csv(AttendanceHeader.Replace(',', ';'), Row(1).Replace(',', ';'))), "file-not-csv" },
        { "binary", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xFF, 0xFE], "file-not-csv" },
        { "too many bad rows", Bytes(Csv(AttendanceHeader, Row(1, "A"), Row(1, "A"), Row(1, "/"), Row(1, "/"))),
            "row-error-threshold-exceeded" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_whole_with_a_specific_rule_and_nothing_curated(string name, byte[] content, string rule)
    {
        var receipt = await fixture.IngestAsync(Provider, "school-attendance", content, $"{name.Replace(' ', '-')}.csv");

        Assert.Equal(ReceiptStatus.Rejected, receipt.Status);
        Assert.Contains(receipt.Errors, e => e.Rule == rule && e.Severity == Pipeline.Drops.Validation.RuleSeverity.Error);
        Assert.Equal(0, receipt.Rows.Accepted);
        Assert.Empty(await fixture.BlobNamesAsync(StorageNames.CuratedContainer, "school-attendance/yot=yot-whole/"));
        Assert.Contains($"{receipt.DropId}/report.json", await fixture.BlobNamesAsync(StorageNames.QuarantineContainer, receipt.DropId
            + "/"));
    }

    [Fact]
    public async Task A_missing_required_column_is_named()
    {
        var receipt = await fixture.IngestAsync(Provider, "school-attendance",
            Csv("upn,date_of_birth,urn,session_date,session", $"{Upn(1)},2012-01-01,100001,2026-04-20,AM"), "named.csv");
        var error = Assert.Single(receipt.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("attendance_code", error.Message);
    }

    [Fact]
    public async Task Columns_outside_the_agreement_are_removed_and_listed()
    {
        await fixture.AddAgreementAsync(Agreement("school-whole-min", "yot-whole-min", ["school-attendance"],
            withhold: ["legal_forename"]));
        var receipt = await fixture.IngestAsync("school-whole-min", "school-attendance",
            Csv(AttendanceHeader + ",free_school_meals", Row(1) + ",Y"), "minimise.csv");
        Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        Assert.Equal(["legal_forename", "column 9"], receipt.FieldsNotShared);
        Assert.Equal(1, receipt.Rows.OutOfCohort);
    }
}
