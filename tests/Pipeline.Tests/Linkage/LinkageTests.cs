using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Linkage;

/// <summary>
/// School rows reach the YOT's children by the UPN pseudonym, or by the name + date-of-birth key when the UPN does not
/// match; the receipt says how many linked by which key. The YOT's own rows about children it has not sent yet are
/// held, not lost, and link when the child arrives.
/// </summary>
public sealed class LinkageTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task School_rows_link_by_upn_then_by_name_and_date_of_birth_and_the_receipt_counts_each()
    {
        const string yot = "yot-link";
        await fixture.AddAgreementAsync(Agreement("link-case", yot, ["yot-children"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement("link-school", yot, ["school-attendance"]));
        await fixture.IngestAsync("link-case", "yot-children", Csv(ChildrenHeader,
            $"L-1,{Upn(501)},,Ray,Ann,2012-02-03,2,WBRI,,Y",
            "L-2,,,O'Brien-Smith,Siobhán,2011-03-04,2,WIRI,,Y",       // known to the YOT by name only
            "L-3,,,Twin,Alex,2010-05-06,1,WBRI,,Y",                    // twins with the same initial: a name key
            "L-4,,,Twin,Ash,2010-05-06,1,WBRI,,Y"));                   // they share links nobody

        var receipt = await fixture.IngestAsync("link-school", "school-attendance", Csv(AttendanceHeader,
            $"{Upn(501)},Ray,Ann,2012-02-03,100001,2026-04-20,AM,/",          // by UPN
            $"{Upn(501)},Ray,Ann,2012-02-03,100001,2026-04-20,PM,/",          // by UPN
            $"{Upn(502)},OBRIEN SMITH,Sally,04/03/2011,100001,2026-04-20,AM,/", // the school's spelling; by name + date of birth
            $"{Upn(502)},OBRIEN SMITH,Sally,04/03/2011,100001,2026-04-20,PM,N",
            $"{Upn(503)},Twin,Alex,2010-05-06,100001,2026-04-20,AM,/",        // ambiguous: out of cohort
            $"{Upn(504)},Nobody,Known,2012-01-01,100001,2026-04-20,AM,/"));   // out of cohort

        Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        Assert.Equal(4, receipt.Rows.Accepted);
        Assert.Equal(2, receipt.Rows.OutOfCohort);
        Assert.Equal(new Dictionary<string, long> { ["name-and-date-of-birth"] = 2, ["upn"] = 2 }, receipt.LinkedBy);

        var children = await ReadAsync(yot, "yot-children", CuratedLayout.ChildId);
        var attendance = await ReadAsync(yot, "school-attendance", CuratedLayout.ChildId);
        var childIds = Enumerable.Range(0, children.RowCount).Select(r => children.Text(CuratedLayout.ChildId, r)).ToList();
        var linked = Enumerable.Range(0, attendance.RowCount).Select(r => attendance.Text(CuratedLayout.ChildId, r)).ToList();
        Assert.Equal([childIds[0], childIds[0], childIds[1], childIds[1]], linked);
    }

    [Fact]
    public async Task A_child_in_a_later_children_extract_links_on_the_next_school_drop()
    {
        // The worker keeps the cohort it built for the first school drop; the second children extract must replace it.
        const string yot = "yot-link-later";
        await fixture.AddAgreementAsync(Agreement("later-case", yot, ["yot-children"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement("later-school", yot, ["school-attendance"]));
        await fixture.IngestAsync("later-case", "yot-children", Csv(ChildrenHeader, $"LT-1,{Upn(701)},,Ray,Ann,2012-02-03,2,WBRI,,Y"));
        var first = await fixture.IngestAsync("later-school", "school-attendance", Csv(AttendanceHeader,
            $"{Upn(701)},Ray,Ann,2012-02-03,100001,2026-04-20,AM,/",
            $"{Upn(702)},Lee,Bo,2011-06-07,100001,2026-04-20,AM,/"));
        Assert.Equal((1, 1), (first.Rows.Accepted, first.Rows.OutOfCohort));

        await fixture.IngestAsync("later-case", "yot-children", Csv(ChildrenHeader,
            $"LT-1,{Upn(701)},,Ray,Ann,2012-02-03,2,WBRI,,Y",
            $"LT-2,{Upn(702)},,Lee,Bo,2011-06-07,1,WBRI,,Y"));
        var second = await fixture.IngestAsync("later-school", "school-attendance", Csv(AttendanceHeader,
            $"{Upn(701)},Ray,Ann,2012-02-03,100001,2026-04-21,AM,/",
            $"{Upn(702)},Lee,Bo,2011-06-07,100001,2026-04-21,AM,/"));

        Assert.Equal((2, 0), (second.Rows.Accepted, second.Rows.OutOfCohort));
        Assert.Equal(new Dictionary<string, long> { ["upn"] = 2 }, second.LinkedBy);
    }

    [Fact]
    public async Task Without_names_the_name_key_is_listed_as_not_run()
    {
        const string yot = "yot-link-nonames";
        await fixture.AddAgreementAsync(Agreement("nonames-case", yot, ["yot-children"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement("nonames-school", yot, ["school-attendance"],
            withhold: ["legal_surname", "legal_forename"]));
        await fixture.IngestAsync("nonames-case", "yot-children", Csv(ChildrenHeader, "N-1,,,Ray,Ann,2012-02-03,2,WBRI,,Y"));

        var receipt = await fixture.IngestAsync("nonames-school", "school-attendance", Csv(AttendanceHeader,
            $"{Upn(601)},Ray,Ann,2012-02-03,100001,2026-04-20,AM,/"));

        Assert.Equal(1, receipt.Rows.OutOfCohort);
        var skipped = Assert.Single(receipt.RulesSkipped);
        Assert.Equal("linkage-name-and-date-of-birth", skipped.Rule);
        Assert.Contains("legal_surname", skipped.Reason);
        Assert.Equal(["legal_forename", "legal_surname"], receipt.FieldsNotShared.Order());
    }

    [Fact]
    public async Task Case_rows_about_a_child_not_yet_sent_are_held_and_link_when_the_child_arrives()
    {
        const string yot = "yot-held";
        await fixture.AddAgreementAsync(Agreement("held-case", yot, ["yot-children", "yot-interventions"], kind: "yot"));

        var early = await fixture.IngestAsync("held-case", "yot-interventions", Csv(InterventionsHeader,
            "H-1,I-1,YRO,2026-04-01,2026-04-02,,N,"));
        Assert.Equal(ReceiptStatus.Accepted, early.Status);
        Assert.Equal(1, early.Rows.Held);
        Assert.Equal(1, early.Rows.Accepted);

        await fixture.IngestAsync("held-case", "yot-children", Csv(ChildrenHeader, "H-1,,,Held,Hana,2011-01-01,2,WBRI,,Y"));
        var children = await ReadAsync(yot, "yot-children", CuratedLayout.ChildId);
        var interventions = await ReadAsync(yot, "yot-interventions", CuratedLayout.ChildId);
        Assert.Equal(children.Text(CuratedLayout.ChildId, 0), interventions.Text(CuratedLayout.ChildId, 0));

        var later = await fixture.IngestAsync("held-case", "yot-interventions", Csv(InterventionsHeader,
            "H-1,I-2,REFERRAL_ORDER,2026-05-01,2026-05-02,,N,"));
        Assert.Equal(0, later.Rows.Held);
    }

    private Task<CuratedTable> ReadAsync(string yot, string dropType, string column) =>
        CuratedTable.ReadAsync(fixture.Storage.Container(StorageNames.CuratedContainer), CuratedLayout.DropTypePrefix(dropType, yot),
            [CuratedLayout.Line, column], default);
}
