using System.Text;
using System.Text.Json.Nodes;
using Sylvan.Data.Csv;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Drops.Validation;

/// <summary>
/// A file of bad rows does not make reports as big as itself: the quarantine report and the sender's errors CSV list the
/// first 1,000 findings of each rule and say how many more there are, while the receipt's counts stay exact. The reports
/// go when the agreement's quarantine time is up; the receipt stays.
/// </summary>
public sealed class ErrorReportCapTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Yot = "yot-cap";

    /// <summary>Pupil <c>serial % 500</c>, on the <c>serial / 500</c>th weekday from Monday 20 April 2026: no two rows for one
    /// session.</summary>
    private static string Row(int serial, string code, string urn = "100001")
    {
        var day = serial / 500;
        return $"{Upn(serial % 500 + 1)},Wells,Kit,2012-01-01,{urn},{new DateOnly(2026, 4, 20).AddDays(day + day / 5 * 2):yyyy-MM-dd},AM," +
            $"{code}";
    }

    [Fact]
    public async Task Reports_list_the_first_1000_findings_of_each_rule_and_count_the_rest()
    {
        const string provider = "school-cap";
        await fixture.AddAgreementAsync(Agreement(provider, Yot, ["school-attendance"], threshold: 1.0));
        // 2,500 rows with an unknown attendance code, 3 with a bad URN, 10 good ones.
        var rows = Enumerable.Range(0, 2500).Select(i => Row(i, "Z9"))
            .Concat(Enumerable.Range(2500, 3).Select(i => Row(i, "/", urn: "12")))
            .Concat(Enumerable.Range(2503, 10).Select(i => Row(i, "/")));
        var receipt = await fixture.IngestAsync(provider, "school-attendance", Csv([AttendanceHeader, .. rows]), "cap.csv");

        Assert.Equal(ReceiptStatus.AcceptedWithErrors, receipt.Status);
        Assert.Equal(2500, receipt.ErrorCounts["attendance-code-unknown"]);
        Assert.Equal(3, receipt.ErrorCounts["urn-format"]);

        var report = JsonNode.Parse(await fixture.DownloadAsync(StorageNames.QuarantineContainer, $"{receipt.DropId}/errors.json"))!;
        var listed = report["errors"]!.AsArray();
        Assert.Equal(1000, listed.Count(e => e!["rule"]!.GetValue<string>() == "attendance-code-unknown"));
        Assert.Equal(3, listed.Count(e => e!["rule"]!.GetValue<string>() == "urn-format"));
        Assert.Equal(2, listed.Select(e => e!["line"]!.GetValue<int>()).Min());   // the first ones, in file order
        Assert.Equal(1000, report["listedPerRule"]!.GetValue<int>());
        Assert.Equal(2500, report["errorCounts"]!["attendance-code-unknown"]!.GetValue<long>());
        Assert.Equal(1500, report["notListed"]!["attendance-code-unknown"]!.GetValue<long>());
        Assert.Null(report["notListed"]!["urn-format"]);

        var csv =
            Encoding.UTF8.GetString(
            (await fixture.DownloadAsync(StorageNames.ReceiptsContainer, DropLedger.ErrorsCsvBlobName(provider, receipt.DropId)))[3..]);
        using var reader = CsvDataReader.Create(new StringReader(csv));
        var csvRows = new List<(string Line, string Rule, string Message)>();
        while (reader.Read()) csvRows.Add((reader.GetString(0), reader.GetString(2), reader.GetString(4)));
        Assert.Equal(1003 + 1, csvRows.Count);
        var note = csvRows[^1];
        Assert.Equal(("", "attendance-code-unknown"), (note.Line, note.Rule));
        Assert.StartsWith("1,500 more rows broke this rule and are not listed", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quarantine_retention_deletes_the_errors_csv_with_the_quarantine_folder_and_keeps_the_receipt()
    {
        const string provider = "school-cap-ret";
        var t0 = fixture.Pipeline.Get<TimeProvider>().GetUtcNow();
        await fixture.AddAgreementAsync(Agreement(provider, Yot, ["school-attendance"], threshold: 1.0) with
        {
            Retention = new RetentionPolicy { RawDropDays = 30, QuarantineDays = 5, CuratedDays = 365 },
        });
        var receipt = await fixture.IngestAsync(provider, "school-attendance", Csv(AttendanceHeader, Row(1, "Z9"), Row(2, "/")), "ret.csv");
        Assert.Equal(ReceiptStatus.AcceptedWithErrors, receipt.Status);
        var errorsCsv = DropLedger.ErrorsCsvBlobName(provider, receipt.DropId);
        Assert.Contains(errorsCsv, await fixture.BlobNamesAsync(StorageNames.ReceiptsContainer, $"{provider}/"));

        var job = fixture.Pipeline.Get<RetentionJob>();
        await job.ApplyAsync(await job.PlanAsync(t0.AddDays(6), default), default);

        Assert.Empty(await fixture.BlobNamesAsync(StorageNames.QuarantineContainer, $"{receipt.DropId}/"));
        Assert.Equal([DropLedger.ReceiptBlobName(provider, receipt.DropId)],
            await fixture.BlobNamesAsync(StorageNames.ReceiptsContainer, $"{provider}/"));
    }
}
