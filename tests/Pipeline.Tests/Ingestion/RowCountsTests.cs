using System.Text.Json;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Quality;

namespace YouthJustice.Pipeline.Tests.Ingestion;

/// <summary>
/// One record holds a drop's five row counts, and the published formats that show them (the receipt senders read, the
/// quality report) keep writing them as they always have: five properties of their own, in the same place.
/// </summary>
public sealed class RowCountsTests
{
    // A receipt in the published format, as a sender's tooling reads it: the counts sit between status and linkedBy.
    private const string PublishedReceipt = """
        {
          "dropId": "0f3a",
          "provider": "school-northbridge-academy",
          "dropType": "school-attendance",
          "agreement": "ISA-NB-2026",
          "status": "accepted-with-errors",
          "rowsRead": 12,
          "rowsAccepted": 7,
          "rowsRejected": 2,
          "rowsOutOfCohort": 3,
          "rowsHeld": 0,
          "linkedBy": {
            "upn": 7
          },
          "completeness": {
            "surname": 0.8571
          },
          "fieldsNotShared": [],
          "ruleCatalogueVersion": "2026.1",
          "errorCounts": {
            "upn-check-letter": 2
          },
          "rulesRun": [
            "upn-check-letter"
          ],
          "rulesSkipped": [],
          "errors": [],
          "errorsTruncated": false,
          "receivedAt": "2026-10-05T09:00:00+00:00",
          "processedAt": "2026-10-05T09:00:02+00:00"
        }
        """;

    [Fact]
    public void A_receipt_reads_and_writes_the_published_format_to_the_byte()
    {
        var receipt = ReceiptJson.Deserialize(PublishedReceipt);

        Assert.Equal(new RowCounts(Read: 12, Accepted: 7, Rejected: 2, OutOfCohort: 3, Held: 0), receipt.Rows);
        Assert.Equal(PublishedReceipt, ReceiptJson.Serialize(receipt));
    }

    [Fact]
    public async Task A_drop_refused_whole_keeps_no_row_whatever_its_rows_looked_like()
    {
        await using var outcome = new DropOutcome { Errors = new ErrorLog() };
        outcome.Rows = new RowCounts(Read: 10, Accepted: 6, Rejected: 4, OutOfCohort: 0, Held: 0);

        var refused = DropReceipts.Build("d", "p", "school-attendance", null, default, outcome, ReceiptStatus.Rejected, default);
        var accepted = DropReceipts.Build("d", "p", "school-attendance", null, default, outcome, ReceiptStatus.AcceptedWithErrors, default);

        Assert.Equal(new RowCounts(Read: 10, Accepted: 0, Rejected: 10, OutOfCohort: 0, Held: 0), refused.Rows);
        Assert.Equal(outcome.Rows, accepted.Rows);
    }

    [Fact]
    public void The_quality_report_sums_the_records_and_writes_rows_refused_where_it_always_has()
    {
        RowCounts[] drops = [new(12, 6, 4, 2, 0), new(5, 4, 0, 0, 1), new(3, 0, 3, 0, 0)];
        var report = new QualityReport
        {
            Provider = "school-northbridge-academy",
            Period = "2026-Q3",
            PeriodLabel = "2026-27 Q2",
            PeriodStart = new DateOnly(2026, 10, 1),
            PeriodEnd = new DateOnly(2026, 12, 31),
            GeneratedAt = DateTimeOffset.UnixEpoch,
            Totals = new QualityTotals { DropsReceived = 3, Rows = drops.Sum() },
            DropTypes = [new DropTypeQuality { DropType = "school-attendance", State = QualityStates.Received, Rows = drops.Sum() }],
            Drops =
            [
                new DropSummary { DropId = "a", DropType = "school-roll", ReceivedAt = default, Status = "accepted", Rows = drops[0] },
            ],
        };

        using var json = JsonDocument.Parse(QualityReportJson.Serialize(report));
        var totals = json.RootElement.GetProperty("totals");
        Assert.Equal(
            ["dropsReceived", "dropsAccepted", "dropsRefused", "rowsRead", "rowsAccepted", "rowsRefused", "rowsOutOfCohort", "rowsHeld"],
            Names(totals));
        Assert.Equal([20L, 10L, 7L, 2L, 1L], Counts(totals, "rowsRead", "rowsAccepted", "rowsRefused", "rowsOutOfCohort", "rowsHeld"));
        var type = json.RootElement.GetProperty("dropTypes")[0];
        Assert.Equal(["dropsRefused", "rowsRead", "rowsAccepted", "rowsRefused", "rowsOutOfCohort", "rowsHeld", "errorsByRule"],
            Names(type).SkipWhile(n => n != "dropsRefused").Take(7));
        var drop = json.RootElement.GetProperty("drops")[0];
        Assert.Equal(["refusedBy", "rowsRead", "rowsAccepted", "rowsRejected", "rowsOutOfCohort", "rowsHeld"], Names(drop).Skip(4));
        Assert.Equal(report.Totals.Rows, QualityReportJson.Deserialize(json.RootElement.GetRawText()).Totals.Rows);
    }

    [Fact]
    public void Options_that_would_write_the_counts_in_a_new_shape_fail_rather_than_change_a_published_format()
    {
        var receipt = ReceiptJson.Deserialize(PublishedReceipt);

        var ex = Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(receipt, JsonSerializerOptions.Web));

        Assert.Contains("RowCountsJson.Resolver", ex.Message, StringComparison.Ordinal);
    }

    private static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    private static long[] Counts(JsonElement e, params string[] names) => [.. names.Select(n => e.GetProperty(n).GetInt64())];
}
