using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Quality;

/// <summary>
/// The data-quality report of a provider for a quarter, against real Azurite. One school sends, in one quarter, a
/// clean drop, a drop with row errors and a drop refused whole; its agreement also covers exclusions, which it never
/// sends. Every figure below is worked out by hand from the rows.
/// </summary>
public sealed class QualityReportTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    /// <summary>
    /// The YOT knows children 1 and 2 by UPN and child 3 by name and date of birth only.
    /// Clean drop: 1 (AM, PM) and 2 by UPN, 3 by name + DOB, 9 unknown → 4 accepted (3 upn, 1 name), 1 out of cohort;
    /// legal_surname filled on 3 of the 4 accepted rows (child 2's is blank).
    /// Drop with errors: 1 and 2 by UPN, one bad UPN check letter, one unknown attendance code, 8 unknown →
    /// 2 accepted (upn), 2 refused, 1 out of cohort; legal_surname filled on 1 of 2.
    /// Refused drop: both rows have bad check letters, over the 50% threshold → refused whole, 2 rows refused.
    /// </summary>
    private sealed record Scenario(string School, string Yot, Receipt Clean, Receipt WithErrors, Receipt Refused);

    private async Task<Scenario> SendAsync(string prefix, int b)
    {
        var yot = $"{prefix}-yot";
        var school = $"{prefix}-school";
        await fixture.AddAgreementAsync(Agreement($"{prefix}-case", yot, ["yot-children"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement(school, yot, ["school-attendance", "school-exclusions"]));
        await fixture.IngestAsync($"{prefix}-case", "yot-children", Csv(ChildrenHeader,
            $"{prefix.ToUpperInvariant()}-0001,{Upn(b + 1)},,Ray,Ann,2012-02-03,2,WBRI,,Y",
            $"{prefix.ToUpperInvariant()}-0002,{Upn(b + 2)},,Bellweather,Bo,2011-06-07,1,WBRI,,Y",
            $"{prefix.ToUpperInvariant()}-0003,,,Quillon,Nina,2011-03-04,2,WBRI,,Y"));

        var clean = await fixture.IngestAsync(school, "school-attendance", Csv(AttendanceHeader,
            $"{Upn(b + 1)},Ray,Ann,2012-02-03,100001,2026-04-20,AM,/",
            $"{Upn(b + 1)},Ray,Ann,2012-02-03,100001,2026-04-20,PM,/",
            $"{Upn(b + 2)},,Bo,2011-06-07,100001,2026-04-20,AM,/",
            $"{Upn(b + 3)},Quillon,Nina,04/03/2011,100001,2026-04-20,AM,/",
            $"{Upn(b + 9)},Strangeway,Pim,2012-01-01,100001,2026-04-20,AM,/"), "week1.csv");
        var withErrors = await fixture.IngestAsync(school, "school-attendance", Csv(AttendanceHeader,
            $"{Upn(b + 1)},Ray,Ann,2012-02-03,100001,2026-04-21,AM,/",
            $"{Upn(b + 2)},,Bo,2011-06-07,100001,2026-04-21,AM,/",
            $"{UpnWithWrongCheckLetter(b + 4)},Zed,Al,2012-01-01,100001,2026-04-21,AM,/",
            $"{Upn(b + 1)},Ray,Ann,2012-02-03,100001,2026-04-21,PM,ZZ",
            $"{Upn(b + 8)},Farfield,Lu,2012-01-01,100001,2026-04-21,AM,/"), "week2.csv");
        var refused = await fixture.IngestAsync(school, "school-attendance", Csv(AttendanceHeader,
            $"{UpnWithWrongCheckLetter(b + 5)},Ray,Ann,2012-02-03,100001,2026-04-22,AM,/",
            $"{UpnWithWrongCheckLetter(b + 6)},Ray,Ann,2012-02-03,100001,2026-04-22,PM,/"), "week3.csv");

        // The scenario is what the hand counts say; check it before reading the report.
        Assert.Equal((ReceiptStatus.Accepted, 4L, 1L), (clean.Status, clean.Rows.Accepted, clean.Rows.OutOfCohort));
        Assert.Equal((ReceiptStatus.AcceptedWithErrors, 2L, 2L, 1L),
            (withErrors.Status, withErrors.Rows.Accepted, withErrors.Rows.Rejected, withErrors.Rows.OutOfCohort));
        Assert.Equal(ReceiptStatus.Rejected, refused.Status);
        return new Scenario(school, yot, clean, withErrors, refused);
    }

    private QualityReporter Reporter(DateTimeOffset now) =>
        new(fixture.Storage, fixture.Pipeline.Get<AgreementStore>(), fixture.Pipeline.Get<DropLedger>(), new FixedClock(now));

    [Fact]
    public async Task A_quarter_of_a_good_drop_a_drop_with_row_errors_and_a_refused_drop_is_counted_as_worked_out_by_hand()
    {
        var s = await SendAsync("qa", 800);
        var period = QualityReporter.PeriodOf(s.Clean.ReceivedAt);
        var now = s.Refused.ReceivedAt.AddDays(3).AddHours(2);

        var report = await Reporter(now).BuildAsync(s.School, period, default);

        Assert.Equal((s.School, $"Test {s.School}", "school", s.Yot),
            (report.Provider, report.ProviderName, report.ProviderKind, report.Yot));
        Assert.Equal(period.ToString(), report.Period);
        Assert.Equal(now, report.GeneratedAt);
        Assert.Equal(["school-exclusions"], report.Missing);
        Assert.Empty(report.RefusedOnly);

        // Drops, in the order they arrived.
        Assert.Equal(new[] { s.Clean.DropId, s.WithErrors.DropId, s.Refused.DropId }.Order(), report.Drops.Select(d => d.DropId).Order());
        Assert.Equal(report.Drops.OrderBy(d => d.ReceivedAt).ThenBy(d => d.DropId, StringComparer.Ordinal), report.Drops);
        var refusedDrop = report.Drops.Single(d => d.DropId == s.Refused.DropId);
        Assert.Equal((ReceiptStatus.Rejected, "row-error-threshold-exceeded", 2L, 0L, 2L),
            (refusedDrop.Status, refusedDrop.RefusedBy, refusedDrop.Rows.Read, refusedDrop.Rows.Accepted, refusedDrop.Rows.Rejected));

        var attendance = report.DropTypes.Single(t => t.DropType == "school-attendance");
        Assert.Equal((true, QualityStates.Received, 3, 2, 1),
            (attendance.Covered, attendance.State, attendance.DropsReceived, attendance.DropsAccepted, attendance.DropsRefused));
        Assert.Equal((12L, 6L, 4L, 2L, 0L), (attendance.Rows.Read, attendance.Rows.Accepted, attendance.Rows.Rejected,
            attendance.Rows.OutOfCohort, attendance.Rows.Held));

        // Row findings: 1 + 2 bad check letters, 1 unknown code; the refusal itself is listed apart.
        Assert.Equal([new RuleCount("upn-check-letter", "error", 3), new RuleCount("attendance-code-unknown", "error", 1)],
            attendance.ErrorsByRule);
        Assert.Equal([new RuleCount("row-error-threshold-exceeded", "error", 1)], attendance.DropRefusalsByRule);

        // legal_surname: 3 of 4 and 1 of 2 accepted rows → 4 of 6; legal_forename on every accepted row.
        var surname = attendance.Completeness.Single(c => c.Column == "legal_surname");
        Assert.Equal((Math.Round(4.0 / 6, 4), 6L), (surname.Share, surname.RowsAccepted));
        Assert.Equal(1.0, attendance.Completeness.Single(c => c.Column == "legal_forename").Share);

        // Linked 3 + 1 + 2 = 6, out of cohort 1 + 1 = 2 → 6 / 8.
        Assert.Equal((6L, 2L, 0.75), (attendance.Linkage.Linked, attendance.Linkage.OutOfCohort, attendance.Linkage.LinkRate));
        Assert.Equal(new Dictionary<string, long> { ["name-and-date-of-birth"] = 1, ["upn"] = 5 }, attendance.Linkage.LinkedBy);

        var exclusions = report.DropTypes.Single(t => t.DropType == "school-exclusions");
        Assert.Equal((true, QualityStates.Missing, 0, (DateTimeOffset?)null),
            (exclusions.Covered, exclusions.State, exclusions.DropsReceived, exclusions.LastReceivedAt));

        // The last drop (refused or not) three days and two hours before the report: 3 whole days.
        Assert.Equal(s.Refused.ReceivedAt, report.Timeliness.LastDropAt);
        Assert.Equal(3, report.Timeliness.DaysSinceLastDrop);
        Assert.Equal(s.WithErrors.ReceivedAt, report.Timeliness.LastAcceptedDropAt);
        Assert.Equal((int)Math.Floor((now - s.WithErrors.ReceivedAt).TotalDays), report.Timeliness.DaysSinceLastAcceptedDrop);

        Assert.Equal((3, 2, 1, 12L, 6L, 4L, 2L), (report.Totals.DropsReceived, report.Totals.DropsAccepted, report.Totals.DropsRefused,
            report.Totals.Rows.Read, report.Totals.Rows.Accepted, report.Totals.Rows.Rejected, report.Totals.Rows.OutOfCohort));

        // Counts and codes only: no identifier or name of any child reaches the report.
        var json = QualityReportJson.Serialize(report);
        foreach (var raw in new[] { Upn(801), Upn(802), Upn(803), Upn(809), UpnWithWrongCheckLetter(804), "Quillon", "Strangeway",
            "Farfield", "2011-03-04" })
            Assert.DoesNotContain(raw, json);

        // The table for people leads with what is missing.
        var table = new StringWriter();
        QualityPrinter.Print(table, report);
        Assert.Contains("MISSING     school-exclusions", table.ToString());
        Assert.Contains("3 × upn-check-letter", table.ToString());
    }

    [Fact]
    public async Task The_command_stores_the_report_at_the_documented_path_with_the_json_it_prints()
    {
        var s = await SendAsync("qb", 820);
        var period = QualityReporter.PeriodOf(s.Clean.ReceivedAt);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await QualityCommand.ReportAsync(fixture.Pipeline.Get<QualityReporter>(), s.School, period, json: true, output, error,
            default);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("", error.ToString());
        var path = $"quality/{s.School}/{period}.json";
        Assert.Equal(path, QualityReporter.BlobName(s.School, period));
        Assert.Contains(path, await fixture.BlobNamesAsync(StorageNames.ReportsContainer, "quality/"));
        var stored = System.Text.Encoding.UTF8.GetString(await fixture.DownloadAsync(StorageNames.ReportsContainer, path));
        Assert.Equal(stored + Environment.NewLine, output.ToString());

        var parsed = QualityReportJson.Deserialize(stored);
        Assert.Equal((s.School, period.ToString()), (parsed.Provider, parsed.Period));
        Assert.Equal(["school-exclusions"], parsed.Missing);
        Assert.Contains("\"rowsOutOfCohort\": 2", stored); // camelCase, as receipts are
    }

    [Fact]
    public async Task The_report_is_deterministic_for_the_same_clock_and_defaults_to_the_current_quarter()
    {
        var s = await SendAsync("qc", 840);
        var now = s.Refused.ReceivedAt.AddHours(1);
        var reporter = Reporter(now);

        var first = QualityReportJson.Serialize(await reporter.BuildAsync(s.School, reporter.CurrentPeriod(), default));
        var second = QualityReportJson.Serialize(await reporter.BuildAsync(s.School, QualityReporter.PeriodOf(now), default));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_yot_reports_queries_apart_from_errors_and_rows_held_for_a_child_not_yet_sent()
    {
        const string yot = "qd-yot", provider = "qd-case";
        await fixture.AddAgreementAsync(Agreement(provider, yot, ["yot-children", "yot-interventions"], kind: "yot"));
        var children = await fixture.IngestAsync(provider, "yot-children", Csv(ChildrenHeader,
            $"QD-0001,{Upn(861)},,Ray,Ann,2012-02-03,2,WBRI,NOT A POSTCODE,Y",
            $"QD-0002,{Upn(862)},,Bellweather,Bo,2011-06-07,1,WBRI,LS6 2AB,Y"));
        var interventions = await fixture.IngestAsync(provider, "yot-interventions", Csv(InterventionsHeader,
            "QD-0001,QI-1,YRO,2026-04-01,2026-04-02,,N,",
            "QD-0009,QI-9,YRO,2026-04-01,2026-04-02,,N,"));     // QD-0009 not sent yet: held
        Assert.Equal(1, interventions.Rows.Held);

        var report = await Reporter(interventions.ReceivedAt.AddMinutes(5))
            .BuildAsync(provider, QualityReporter.PeriodOf(children.ReceivedAt), default);

        Assert.Equal(("yot", yot), (report.ProviderKind, report.Yot));
        Assert.Empty(report.Missing);
        var childType = report.DropTypes.Single(t => t.DropType == "yot-children");
        Assert.Equal([new RuleCount("postcode-format", "query", 1)], childType.ErrorsByRule);
        Assert.Equal(2, childType.Rows.Accepted);                       // a query keeps the row
        Assert.Equal(0.5, childType.Completeness.Single(c => c.Column == "postcode").Share); // one of two postcodes usable
        Assert.Null(childType.Linkage.LinkRate);                        // the YOT's own rows define the cohort
        Assert.Equal(1, report.DropTypes.Single(t => t.DropType == "yot-interventions").Rows.Held);
        Assert.Equal(1, report.Totals.Rows.Held);
        Assert.Equal(0, report.Timeliness.DaysSinceLastDrop);
    }

    [Fact]
    public async Task A_sender_without_an_agreement_is_reported_with_its_refused_drops()
    {
        var receipt = await fixture.IngestAsync("qe-stranger", "school-attendance", Csv(AttendanceHeader,
            $"{Upn(881)},Ray,Ann,2012-02-03,100001,2026-04-20,AM,/"));
        Assert.Equal(ReceiptStatus.Rejected, receipt.Status);

        var report = await Reporter(receipt.ReceivedAt).BuildAsync("qe-stranger", QualityReporter.PeriodOf(receipt.ReceivedAt), default);

        Assert.Null(report.ProviderName);
        Assert.Empty(report.Agreements);
        Assert.Empty(report.Missing);
        var type = Assert.Single(report.DropTypes);
        Assert.Equal((false, QualityStates.RefusedOnly), (type.Covered, type.State));
        Assert.Equal([new RuleCount("agreement-unknown-provider", "error", 1)], type.DropRefusalsByRule);
        Assert.Empty(type.ErrorsByRule);
    }

    [Fact]
    public async Task A_provider_with_no_agreement_and_no_drops_is_unknown()
    {
        await Assert.ThrowsAsync<UnknownProviderException>(() =>
            Reporter(DateTimeOffset.UtcNow).BuildAsync("qf-nobody", new Pipeline.Periods.Quarter(2026, 4), default));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
