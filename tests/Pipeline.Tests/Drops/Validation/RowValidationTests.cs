using System.Text.Json.Nodes;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Drops.Validation;

/// <summary>Each kind of row error is reported on the physical line the sender's editor shows, and the rest of the drop is kept.</summary>
public sealed class RowValidationTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Yot = "yot-rows";

    public async Task InitializeAsync()
    {
        await fixture.AddAgreementAsync(Agreement("school-rows", Yot, ["school-attendance"], threshold: 0.9));
        await fixture.AddAgreementAsync(Agreement("yot-rows-case", Yot, ["yot-children", "yot-interventions"], kind: "yot",
            threshold: 0.9));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Attendance_row_errors_carry_line_field_and_rule()
    {
        var csv = Csv(AttendanceHeader,
            $"{Upn(1)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,/",                        // 2 ok
            $"{UpnWithWrongCheckLetter(2)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,/",   // 3 check letter
            $"X12,Smith,Alex,2012-01-01,100001,2026-04-20,AM,/",                             // 4 upn format
            $"{Upn(3)},\"Smith\nJones\",Alex,2012-01-01,100001,2026-04-20,AM,/",             // 5-6 ok, embedded newline
            $"{Upn(4)},Smith,Alex,2012-01-01,100001,2026-04-31,AM,/",                        // 7 no such date
            $"{Upn(5)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,A",                        // 8 unknown code
            $"{Upn(6)},Smith,Alex,2012-01-01,,2026-04-20,AM,/",                              // 9 required empty
            $"{Upn(7)},Smith,Alex,2012-01-01,100001,2026-04-20",                             // 10 ragged
            $"{Upn(8)},Smith,Alex,2031-01-01,100001,2026-04-20,PM,/",                        // 11 born in the future
            $"{Upn(9)},Smith,Alex,2012-01-01,10001,2026-04-20,Morning,/",                    // 12 URN + session
            $"{Upn(10)},Smith,Alex,20/04/2012,100001,20/04/2026,pm,l");                      // 13 ok: UK dates, lower case
        var receipt = await fixture.IngestAsync("school-rows", "school-attendance", csv);

        Assert.Equal(ReceiptStatus.AcceptedWithErrors, receipt.Status);
        Assert.Equal(11, receipt.Rows.Read);
        Assert.Equal(8, receipt.Rows.Rejected);
        Assert.Equal(
            [(3, "upn", "upn-check-letter"), (4, "upn", "upn-format"), (7, "session_date", "date-invalid"),
             (8, "attendance_code", "attendance-code-unknown"), (9, "urn", "required-value-missing"), (10, null, "row-column-count"),
             (11, "date_of_birth", "date-of-birth-impossible"), (12, "urn", "urn-format"), (12, "session", "session-unknown")],
            receipt.Errors.Select(e => (e.Line!.Value, e.Field, e.Rule)).ToList<(int, string?, string)>());
        Assert.All(receipt.Errors, e => Assert.Equal(RuleSeverity.Error, e.Severity));
        Assert.Equal(2, receipt.ErrorCounts.Count(kv => kv.Key.StartsWith("upn-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Errors_never_echo_personal_data_but_do_echo_codes()
    {
        var csv = Csv(AttendanceHeader,
            $"{UpnWithWrongCheckLetter(20)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,/",
            $"{Upn(21)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,Q9",
            $"{Upn(22)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,/");
        var receipt = await fixture.IngestAsync("school-rows", "school-attendance", csv, "echo.csv");
        var upnError = Assert.Single(receipt.Errors, e => e.Rule == "upn-check-letter");
        Assert.Null(upnError.Value);
        Assert.DoesNotContain(UpnWithWrongCheckLetter(20), upnError.Message);
        Assert.Equal("Q9", Assert.Single(receipt.Errors, e => e.Rule == "attendance-code-unknown").Value);
    }

    [Fact]
    public async Task The_quarantine_report_lists_every_error()
    {
        var csv = Csv(AttendanceHeader,
            $"{Upn(30)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,Z9",
            $"{Upn(31)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,/",
            $"{Upn(32)},Smith,Alex,2012-01-01,100001,2026-04-20,AM,/");
        var receipt = await fixture.IngestAsync("school-rows", "school-attendance", csv, "report.csv");
        var report =
            JsonNode.Parse(await fixture.DownloadAsync(StorageNames.QuarantineContainer,
            $"{receipt.DropId}/errors.json"))!["errors"]!.AsArray();
        var only = Assert.Single(report)!;
        Assert.Equal(2, only["line"]!.GetValue<int>());
        Assert.Equal("attendance_code", only["field"]!.GetValue<string>());
        Assert.Equal("attendance-code-unknown", only["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Case_data_checks_flags_codes_and_end_before_start()
    {
        var children = Csv(ChildrenHeader,
            $"R-1,{Upn(40)},,Ray,Ann,2011-02-03,1,WBRI,LS6 2AB,Y",
            $"R-2,{Upn(41)},,Ray,Bo,2011-02-03,3,WBRI,,Y",                 // 3 sex code
            $"R-3,{Upn(42)},,Ray,Cy,2011-02-03,1,XXXX,,Y",                 // 4 ethnicity code
            $"R-4,{Upn(43)},,Ray,Di,2011-02-03,1,WBRI,,maybe",             // 5 flag
            $"R-5,{Upn(44)},1234567890,Ray,Ed,2011-02-03,1,WBRI,NOT A POSTCODE,Y"); // 6 ULN check digit; postcode is a query
        var receipt = await fixture.IngestAsync("yot-rows-case", "yot-children", children);
        Assert.Equal(
            [(3, "sex-unknown"), (4, "ethnicity-unknown"), (5, "flag-invalid"), (6, "uln-check-digit"), (6, "postcode-format")],
            receipt.Errors.Select(e => (e.Line!.Value, e.Rule)).ToList<(int, string)>());
        Assert.Equal(RuleSeverity.Query, Assert.Single(receipt.Errors, e => e.Rule == "postcode-format").Severity);
        Assert.Equal(4, receipt.Rows.Rejected);

        var interventions = Csv(InterventionsHeader,
            "R-1,I-1,YRO,2026-01-01,2026-01-02,2026-06-30,N,",
            "R-1,I-2,YRO,2026-01-01,2026-03-02,2026-03-01,N,");             // 3 end before start
        var second = await fixture.IngestAsync("yot-rows-case", "yot-interventions", interventions);
        var e = Assert.Single(second.Errors);
        Assert.Equal((3, "end_date", "end-before-start"), (e.Line!.Value, e.Field, e.Rule));
    }
}
