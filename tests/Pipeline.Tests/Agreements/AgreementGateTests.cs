using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Agreements;

/// <summary>The gate refuses drops no agreement allows, each with its own rule, and stores nothing of them in curated.</summary>
public sealed class AgreementGateTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static string Attendance(int serial) =>
        Csv([AttendanceHeader, .. Marks(Upn(serial), "Gatekeeper", "2012-01-01", "100001", new DateOnly(2026, 4, 20), "/", "/")]);

    [Fact]
    public async Task A_provider_without_an_agreement_is_refused()
    {
        var receipt = await fixture.IngestAsync("school-stranger", "school-attendance", Attendance(1));
        await AssertRefusedAsync(receipt, "agreement-unknown-provider");
        Assert.Null(receipt.Agreement);
    }

    [Fact]
    public async Task A_drop_type_the_agreement_does_not_cover_is_refused()
    {
        await fixture.AddAgreementAsync(Agreement("school-gate-type", "yot-gate", ["yot-children"], kind: "yot"));
        var receipt = await fixture.IngestAsync("school-gate-type", "school-attendance", Attendance(2));
        await AssertRefusedAsync(receipt, "agreement-drop-type-not-covered");
    }

    [Fact]
    public async Task A_drop_arriving_outside_the_agreement_dates_is_refused()
    {
        await fixture.AddAgreementAsync(Agreement("school-gate-expired", "yot-gate", ["school-attendance"], from: new DateOnly(2023, 9, 1),
            to: new DateOnly(2024, 8, 31)));
        var receipt = await fixture.IngestAsync("school-gate-expired", "school-attendance", Attendance(3));
        await AssertRefusedAsync(receipt, "agreement-not-in-force");
        Assert.Contains("2024-08-31", receipt.Errors[0].Message);
    }

    [Fact]
    public async Task An_unknown_drop_type_is_refused()
    {
        await fixture.AddAgreementAsync(Agreement("school-gate-typo", "yot-gate", ["school-attendance"]));
        var receipt = await fixture.IngestAsync("school-gate-typo", "school-attendence", Attendance(4));
        await AssertRefusedAsync(receipt, "drop-type-unknown");
    }

    [Fact]
    public async Task A_drop_under_an_agreement_in_force_passes_the_gate_and_names_it()
    {
        await fixture.AddAgreementAsync(Agreement("school-gate-ok", "yot-gate", ["school-attendance"]));
        var receipt = await fixture.IngestAsync("school-gate-ok", "school-attendance", Attendance(5));
        Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        Assert.Equal("ISA-school-gate-ok", receipt.Agreement);
        // Nobody in yot-gate's cohort: every row is counted and discarded.
        Assert.Equal(2, receipt.Rows.OutOfCohort);
    }

    private async Task AssertRefusedAsync(Receipt receipt, string rule)
    {
        Assert.Equal(ReceiptStatus.Rejected, receipt.Status);
        Assert.Equal(rule, Assert.Single(receipt.Errors).Rule);
        Assert.Equal(1, receipt.ErrorCounts[rule]);
        Assert.Empty(await fixture.BlobNamesAsync(StorageNames.CuratedContainer));
        var quarantined = await fixture.BlobNamesAsync(StorageNames.QuarantineContainer, receipt.DropId + "/");
        Assert.Contains($"{receipt.DropId}/report.json", quarantined);
        Assert.Contains($"{receipt.DropId}/drop.csv", quarantined);
        var stored = ReceiptJson.Deserialize(System.Text.Encoding.UTF8.GetString(
            await fixture.DownloadAsync(StorageNames.ReceiptsContainer, $"{receipt.Provider}/{receipt.DropId}.json")));
        Assert.Equal(ReceiptStatus.Rejected, stored.Status);
    }
}
