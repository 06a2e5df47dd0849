using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Quality;

/// <summary>
/// Issue 15 item 3: the quality report the ingest path keeps is built from the quarter's tally, added to drop by drop,
/// not from every receipt read again; it must say exactly what reading every receipt says, through re-sends, duplicate
/// deliveries and a refused drop sent again, and a drop recorded twice counts once.
/// </summary>
public sealed class QualityTallyTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Yot = "qt-yot";
    private const string School = "qt-school";

    private static string Attendance(string day, params string[] codes) => Csv([AttendanceHeader,
        .. codes.Select((code, i) => $"{Upn(701 + i % 3)},Ray,Ann,2012-02-03,100001,{day},{(i < 3 ? "AM" : "PM")},{code}")]);

    /// <summary>The report as stored by the ingest path and as every receipt gives it, with the times of building set aside.</summary>
    private async Task<(string Stored, string Reread, QualityReport Report)> BothAsync(Quarter period)
    {
        var stored = QualityReportJson.Deserialize((await fixture.Storage.Container(StorageNames.ReportsContainer)
            .GetBlobClient(QualityReporter.BlobName(School, period)).DownloadContentAsync()).Value.Content.ToString());
        var reread = await fixture.Pipeline.Get<QualityReporter>().RebuildFromReceiptsAsync(School, period, default);
        string Text(QualityReport r) => QualityReportJson.Serialize(r with { GeneratedAt = default, Timeliness = new() });
        return (Text(stored), Text(reread), stored);
    }

    [Fact]
    public async Task The_tallied_report_equals_every_receipt_read_again_through_resends_duplicates_and_a_refused_drop_sent_again()
    {
        await fixture.AddAgreementAsync(Agreement("qt-case", Yot, ["yot-children"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement(School, Yot, ["school-attendance", "school-exclusions"]));
        await fixture.IngestAsync("qt-case", "yot-children", Csv(ChildrenHeader,
            $"QT-1,{Upn(701)},,Ray,Ann,2012-02-03,2,WBRI,,Y",
            $"QT-2,{Upn(702)},,Ray,Ann,2012-02-03,2,WBRI,,Y"));

        var clean = await fixture.IngestAsync(School, "school-attendance", Attendance("2026-04-20", "/", "/", "/", "/"), "w1.csv");
        var period = QualityReporter.PeriodOf(clean.ReceivedAt);
        await fixture.IngestAsync(School, "school-attendance", Attendance("2026-04-21", "/", "ZZ", "/", "N"), "w2.csv");
        var refusedCsv = Csv(AttendanceHeader,
            $"{UpnWithWrongCheckLetter(705)},Ray,Ann,2012-02-03,100001,2026-04-22,AM,/",
            $"{UpnWithWrongCheckLetter(706)},Ray,Ann,2012-02-03,100001,2026-04-22,PM,/");
        Assert.Equal(ReceiptStatus.Rejected, (await fixture.IngestAsync(School, "school-attendance", refusedCsv, "w3.csv")).Status);
        var (stored, reread, _) = await BothAsync(period);
        Assert.Equal(reread, stored);

        // The same file delivered again (a duplicate), the refused file sent again (a new attempt, refused again), and
        // a corrected re-send of the second week.
        Assert.Equal(ReceiptStatus.Duplicate,
            (await fixture.IngestAsync(School, "school-attendance", Attendance("2026-04-20", "/", "/", "/", "/"), "w1.csv")).Status);
        Assert.Equal(ReceiptStatus.Rejected, (await fixture.IngestAsync(School, "school-attendance", refusedCsv, "w3-again.csv")).Status);
        await fixture.IngestAsync(School, "school-attendance", Attendance("2026-04-21", "/", "/", "/", "N"), "w2-corrected.csv");
        (stored, reread, var report) = await BothAsync(period);
        Assert.Equal(reread, stored);
        Assert.Equal(4, report.Totals.DropsReceived);
        Assert.Equal(1, report.Totals.DropsRefused);

        // A drop recorded twice (a follow-up that ran again) still counts once.
        await fixture.Pipeline.Get<QualityReporter>().RecordAsync(clean, default);
        (stored, reread, report) = await BothAsync(period);
        Assert.Equal(reread, stored);
        Assert.Equal(4, report.Totals.DropsReceived);
    }
}
