using System.Text;
using Sylvan.Data.Csv;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Ingestion;

/// <summary>
/// Beside each receipt, every error as a CSV file a school office can sort in a spreadsheet. A sender's own cell that a
/// spreadsheet would run as a formula comes back as text.
/// </summary>
public sealed class ErrorsCsvTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task Errors_csv_lists_every_error_and_neutralises_formulas()
    {
        await fixture.AddAgreementAsync(Agreement("csv-school", "yot-csv", ["school-attendance"], threshold: 0.9));
        var csv = Csv(AttendanceHeader,
            $"{Upn(1)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"",
            $"{Upn(2)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,@SUM(A1)",
            $"{Upn(3)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,+1+1",
            $"{Upn(4)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,-1+1",
            $"{Upn(5)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,/");
        var receipt = await fixture.IngestAsync("csv-school", "school-attendance", csv, "formulas.csv");
        Assert.Equal(4, receipt.Rows.Rejected);

        var bytes = await fixture.DownloadAsync(StorageNames.ReceiptsContainer, DropLedger.ErrorsCsvBlobName("csv-school", receipt.DropId));
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        using var reader = CsvDataReader.Create(new StringReader(Encoding.UTF8.GetString(bytes[3..])));
        var rows = new List<(string Line, string Rule, string Value)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(2), reader.GetString(5)));

        Assert.Equal(["line", "field", "rule", "severity", "message", "value"],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        Assert.Equal(
            [("2", "attendance-code-unknown", "'=HYPERLINK(\"http://evil\",\"x\")"), ("3", "attendance-code-unknown", "'@SUM(A1)"),
             ("4", "attendance-code-unknown", "'+1+1"), ("5", "attendance-code-unknown", "'-1+1")],
            rows);
    }
}
