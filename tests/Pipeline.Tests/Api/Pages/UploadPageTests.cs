using System.Text.RegularExpressions;
using Microsoft.Playwright;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Tests.Reporting;
using static YouthJustice.Pipeline.Tests.Api.Pages.PageChecks;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// The upload page in a real browser (Debian's chromium through Playwright), as a school meets it after
/// <c>./pipeline serve</c>: it uploads files and reads their receipts, line errors and all; a form sent half filled in
/// is stopped on the page. axe finds no WCAG 2.2 AA violation on any page visited.
/// </summary>
public sealed class UploadPageTests(UploadPages fixture) : IClassFixture<UploadPages>
{
    private async Task<string> UrnAsync(string provider) =>
        (await fixture.Pipeline.Get<AgreementStore>().ForProviderAsync(provider, default))[0].Provider.Urn!;

    /// <summary>
    /// Sixty session marks of one pupil (not one of the YOT's children: the rows are counted, then discarded), and any rows added.
    /// </summary>
    private static byte[] Attendance(string urn, int serial, params string[] extra)
    {
        var marks = Marks(Upn(serial), "Hollowell", "2011-05-06", urn, new DateOnly(2026, 9, 7), [.. Enumerable.Repeat("/", 60)]);
        return Bytes(Csv([AttendanceHeader, .. marks, .. extra]));
    }

    private async Task<IPage> UploadAsync(IPage page, string fileName, byte[] content)
    {
        fixture.Identifiers.Remember("school-attendance", content);
        await page.GotoAsync(fixture.Site + "/provider");
        await page.CheckAsync("#dropType-school-attendance");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = fileName, MimeType = "text/csv", Buffer = content });
        await page.ClickAsync("[data-upload-button]");
        await page.WaitForURLAsync(new Regex("/provider/drops/[0-9a-f]{64}$"));
        return page;
    }

    [ChromiumFact]
    public async Task A_school_uploads_an_accepted_file_and_a_bad_file_and_reads_each_receipt_with_its_line_errors()
    {
        var urn = await UrnAsync(School);
        var page = await fixture.SignInAsProviderAsync(School);
        Assert.EndsWith("/provider", page.Url);
        await AssertAccessibleAsync(page);

        await UploadAsync(page, "autumn attendance.csv", Attendance(urn, 801));
        // The receipt page waits; the watcher (pipeline serve runs it every 2 s) takes the upload, and the page shows the receipt.
        var accepted = Assert.Single(await fixture.Watcher.PollOnceAsync(default));
        Assert.EndsWith(accepted.DropId, page.Url);
        await page.Locator("h1", new() { HasText = "File accepted" }).WaitForAsync();
        Assert.Equal(ReceiptStatus.Accepted, accepted.Status);
        Assert.Contains("60", await page.Locator(".govuk-summary-list__row", new() { HasText = "Rows read" }).InnerTextAsync());
        await AssertAccessibleAsync(page);

        // Line 1 is the header, so the two bad rows added after sixty good ones are lines 62 and 63.
        var bad = Attendance(urn, 802,
            $"{UpnWithWrongCheckLetter(803)},Hollowell,Alex,2011-05-06,{urn},2026-09-07,AM,/",
            $"{Upn(802)},Hollowell,Alex,2011-05-06,{urn},2026-09-12,AM,/");
        await UploadAsync(page, "autumn attendance (2).csv", bad);
        var withErrors = Assert.Single(await fixture.Watcher.PollOnceAsync(default));
        await page.Locator("h1", new() { HasText = "File accepted with errors" }).WaitForAsync();
        Assert.Equal(ReceiptStatus.AcceptedWithErrors, withErrors.Status);

        var rows = page.Locator("table.pages-errors tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        var upnRow = await rows.Nth(0).Locator("td").AllInnerTextsAsync();
        Assert.Equal("62", upnRow[0]);
        Assert.Equal("upn", upnRow[1]);
        Assert.Contains(RuleCatalogue.UpnCheckLetter.Code, upnRow[2]);
        Assert.Equal(RuleCatalogue.UpnCheckLetter.Fix, upnRow[3]);
        var weekendRow = await rows.Nth(1).Locator("td").AllInnerTextsAsync();
        Assert.Equal("63", weekendRow[0]);
        Assert.Equal(RuleCatalogue.DateOnWeekend.Fix, weekendRow[3]);
        // The summary of checks gives each rule once with its fix.
        var checks = await page.Locator("table", new() { HasText = "What it checks" }).InnerTextAsync();
        Assert.Contains(RuleCatalogue.UpnCheckLetter.Checks, checks);
        await AssertAccessibleAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("text=Download every error"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(RuleCatalogue.UpnCheckLetter.Code, csv);
        Assert.Contains(RuleCatalogue.DateOnWeekend.Code, csv);
        Assert.DoesNotContain(UpnWithWrongCheckLetter(803), csv);

        // Both files are in the history, newest first, each linking to its receipt.
        await page.GotoAsync(fixture.Site + "/provider/drops");
        Assert.Contains(withErrors.DropId, await page.Locator("table tbody tr").First.Locator("a").GetAttributeAsync("href"));
        Assert.Equal(1, await page.Locator($"a[href='/provider/drops/{accepted.DropId}']").CountAsync());
        await AssertAccessibleAsync(page);
    }

    [ChromiumFact]
    public async Task An_upload_without_a_file_or_a_type_is_stopped_with_a_message_on_the_page()
    {
        var page = await fixture.SignInAsProviderAsync(School);
        await page.ClickAsync("[data-upload-button]");
        var summary = page.Locator("[data-upload-errors]");
        await summary.WaitForAsync();
        Assert.Contains("Choose what you are sending", await summary.InnerTextAsync());
        Assert.Contains("Choose a CSV file", await summary.InnerTextAsync());
        Assert.StartsWith("Error: ", await page.TitleAsync());
        await AssertAccessibleAsync(page);
    }
}
