using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Tests.Reporting;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// The pages in a real browser (Debian's chromium through Playwright) over the demo's data, as a new user meets them
/// after <c>./pipeline demo</c> and <c>./pipeline serve</c>: a school uploads files and reads their receipts; a provider
/// stays inside its own drops; an analyst drills from a KPI to its breakdown to the children; the published view
/// withholds small cells; axe finds no WCAG 2.2 AA violation on any page visited.
/// </summary>
[Collection(PagesGroup.Name)]
public sealed class PagesBrowserTests(PagesFixture fixture)
{
    private const string School = "school-northbridge-academy";
    private const string OtherSchool = "school-st-aidans-catholic-high";
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static string Quarter => DemoData.Period.ToString();

    /// <summary>axe-core over the page as shown: no violation of WCAG 2.0–2.2 A/AA, each named with its elements if there is one.</summary>
    private static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
        var found = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(found.Count == 0, $"axe found on {page.Url}:\n{string.Join("\n", found)}");
    }

    /// <summary>The row of a breakdown table whose heading cell is the group (with or without its link's hidden "see these children").</summary>
    private static async Task<ILocator> GroupRowAsync(IPage page, string breakdown, string group)
    {
        var rows = page.Locator($"#breakdown-{breakdown} ~ table").First.Locator("tbody tr");
        var headings = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var heading = Regex.Replace(await rows.Nth(i).Locator("th").TextContentAsync() ?? "", @"\s+", " ").Trim();
            if (heading == group || heading == $"{group}: see these children") return rows.Nth(i);
            headings.Add(heading);
        }
        throw new InvalidOperationException($"No row for '{group}' in the {breakdown} breakdown of {page.Url}; rows: {string.Join(" | ", headings)}.");
    }

    private async Task<string> UrnAsync(string provider) =>
        (await fixture.Pipeline.Get<AgreementStore>().ForProviderAsync(provider, default))[0].Provider.Urn!;

    /// <summary>Sixty session marks of one pupil (not one of the YOT's children: the rows are counted, then discarded), and any rows added.</summary>
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
        Assert.Contains(RuleCatalogue.UpnCheckLetter.Checks, await page.Locator("table", new() { HasText = "What it checks" }).InnerTextAsync());
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

    [ChromiumFact]
    public async Task A_provider_sees_only_its_own_drops_and_no_YOT_pages()
    {
        var others = await fixture.Pipeline.Get<DropLedger>().ForProviderAsync(OtherSchool, default);
        var other = others.First(e => e.GetString("Status") == ReceiptStatus.AcceptedWithErrors).RowKey;
        var page = await fixture.SignInAsProviderAsync(School);

        await page.GotoAsync(fixture.Site + "/provider/drops");
        Assert.Equal(0, await page.Locator($"a[href*='{other}']").CountAsync());
        var response = await page.GotoAsync(fixture.Site + $"/provider/drops/{other}");
        Assert.Equal(200, response!.Status);
        Assert.Equal("Checking your file", await page.Locator("h1").InnerTextAsync());
        Assert.DoesNotContain("Rows read", await page.ContentAsync());
        Assert.Equal(404, (await page.APIRequest.GetAsync(fixture.Site + $"/provider/drops/{other}/errors.csv")).Status);

        foreach (var path in new[] { $"/yots/{DemoData.Yot}", $"/yots/{DemoData.Yot}/{Quarter}", $"/yots/{DemoData.Yot}/{Quarter}/kpis/kpi1-accommodation",
                     $"/yots/{DemoData.Yot}/{Quarter}/kpis/kpi1-accommodation/children", $"/yots/{DemoData.Yot}/{Quarter}/board-pack" })
        {
            var answer = await page.GotoAsync(fixture.Site + path);
            Assert.True(answer!.Status == 403, $"{path} answered {answer.Status}");
            Assert.Equal("You cannot see this page", await page.Locator("h1").InnerTextAsync());
        }
        await AssertAccessibleAsync(page);
    }

    /// <summary>The first child-level headline KPI of the demo quarter with a group of children in its ethnicity breakdown.</summary>
    private async Task<(KpiResult Kpi, KpiGroup Group)> DrillableAsync()
    {
        var set = (await fixture.Pipeline.Get<KpiStore>().ReadAsync(DemoData.Yot, Quarter, default))!;
        return set.Kpis.Where(k => KpiCatalogue.IsHeadline(k.Id) && KpiChildPopulations.Of(k.Id) is not null && k.Breakdowns.ContainsKey(ChildProfiles.Ethnicity))
            .OrderBy(k => KpiCatalogue.DisplayRank(k.Id))
            .Select(k => (k, k.Breakdowns[ChildProfiles.Ethnicity].FirstOrDefault(g => g.Numerator > 0 && g.Denominator > g.Numerator)))
            .First(x => x.Item2 is not null)!;
    }

    [ChromiumFact]
    public async Task An_analyst_goes_from_a_KPI_to_a_breakdown_to_the_children_behind_it()
    {
        var (kpi, group) = await DrillableAsync();
        var page = await fixture.SignInAsAsync(ApiRoles.Analyst);
        // Signed in, an analyst lands on the YOT's latest quarter with results; the demo's quarter is one step away.
        Assert.Matches($"/yots/{DemoData.Yot}/\\d{{4}}-Q[1-4]$", page.Url);
        await page.GotoAsync(fixture.Site + $"/yots/{DemoData.Yot}/{Quarter}");
        await AssertAccessibleAsync(page);

        await page.ClickAsync($".pages-card a:text-is(\"{KpiCatalogue.Title(kpi.Id)}\")");
        await page.WaitForURLAsync($"**/kpis/{kpi.Id}");
        Assert.Equal(KpiCatalogue.Title(kpi.Id), (await page.Locator("h1").InnerTextAsync()).Split('\n')[0].Trim());
        await AssertAccessibleAsync(page);

        var row = await GroupRowAsync(page, ChildProfiles.Ethnicity, group.Group);
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal(group.Numerator.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[0]);
        Assert.Equal(group.Denominator.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[1]);

        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync($"**/kpis/{kpi.Id}/children?**");
        await AssertAccessibleAsync(page);
        var children = page.Locator("table tbody tr");
        Assert.Equal(group.Denominator, await children.CountAsync());
        var total = await page.Locator("table tfoot td").AllInnerTextsAsync();
        Assert.Equal([group.Numerator.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), group.Denominator.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)], total);
        foreach (var child in await children.AllAsync())
        {
            var c = await child.Locator("td").AllInnerTextsAsync();
            Assert.Matches("^[0-9a-f]{16,}$", c[0]);
            Assert.Contains(c[1], new[] { "10-14", "15-17" });
            Assert.Equal(group.Group, c[2]);
        }
        // Pseudonyms and age bands only: no date of birth, no case reference.
        Assert.DoesNotMatch(@"\b(19|20)\d\d-\d\d-\d\d\b", await page.Locator("table").InnerTextAsync());

        var csv = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("text=Download these children"));
        var lines = (await File.ReadAllLinesAsync((await csv.PathAsync())!)).Where(l => l.Length > 0).ToList();
        Assert.Equal("child_id,age_group,ethnicity,numerator,denominator", lines[0]);
        Assert.Equal(group.Denominator, lines.Count - 1);
    }

    [ChromiumFact]
    public async Task The_published_view_withholds_small_cells()
    {
        var set = (await fixture.Pipeline.Get<KpiStore>().ReadAsync(DemoData.Yot, Quarter, default))!;
        var released = DisclosureControl.Apply(set, new DisclosureOptions());
        var (kpiId, breakdown, group) = released.Kpis.Where(k => !k.Suppressed && KpiCatalogue.IsHeadline(k.Id))
            .SelectMany(k => k.Breakdowns.SelectMany(b => b.Value.Where(g => g.Suppressed).Select(g => (k.Id, b.Key, g.Group))))
            .First();
        var truth = set.Kpis.Single(k => k.Id == kpiId).Breakdowns[breakdown].Single(g => g.Group == group);

        var yjb = await fixture.SignInAsAsync(ApiRoles.Yjb);
        await yjb.GotoAsync(fixture.Site + $"/yots/{DemoData.Yot}/{Quarter}/kpis/{kpiId}");
        Assert.Contains("Published figures", await yjb.Locator(".govuk-notification-banner").InnerTextAsync());
        var row = await GroupRowAsync(yjb, breakdown, group);
        Assert.Equal(["c", "c", "c", "c"], (await row.Locator("td").AllInnerTextsAsync()).Take(4));
        Assert.Equal(0, await yjb.Locator("a[href*='/children']").CountAsync());
        await AssertAccessibleAsync(yjb);
        Assert.Equal(403, (await yjb.GotoAsync(fixture.Site + $"/yots/{DemoData.Yot}/{Quarter}/kpis/{kpiId}/children"))!.Status);

        // The YOT's own analyst sees the figure; asking for the published view shows what the YJB sees.
        var analyst = await fixture.SignInAsAsync(ApiRoles.Analyst);
        await analyst.GotoAsync(fixture.Site + $"/yots/{DemoData.Yot}/{Quarter}/kpis/{kpiId}");
        var own = await GroupRowAsync(analyst, breakdown, group);
        Assert.Equal(truth.Numerator.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), (await own.Locator("td").AllInnerTextsAsync())[0]);
        await analyst.ClickAsync("text=Show the figures as they would be published");
        await analyst.WaitForURLAsync(url => url.EndsWith("?view=published", StringComparison.Ordinal));
        var preview = await GroupRowAsync(analyst, breakdown, group);
        Assert.Equal("c", (await preview.Locator("td").AllInnerTextsAsync())[0]);
    }

    [ChromiumFact]
    public async Task Every_other_page_passes_axe()
    {
        var context = await fixture.Browser.NewContextAsync();
        var anonymous = await context.NewPageAsync();
        await anonymous.GotoAsync(fixture.Site + "/sign-in");
        await AssertAccessibleAsync(anonymous);

        var school = await fixture.SignInAsProviderAsync(School);
        foreach (var path in new[] { "/provider/drop-types/school-attendance", "/provider/drop-types/rules", "/provider/drops", $"/provider/quality?period={Quarter}" })
        {
            Assert.Equal(200, (await school.GotoAsync(fixture.Site + path))!.Status);
            await AssertAccessibleAsync(school);
        }
        var receipt = (await fixture.Pipeline.Get<DropLedger>().ForProviderAsync(School, default)).First(e => e.GetString("Status") == ReceiptStatus.AcceptedWithErrors).RowKey;
        await school.GotoAsync(fixture.Site + $"/provider/drops/{receipt}");
        await AssertAccessibleAsync(school);

        // The board pack forbids every script in its own CSP, so axe goes in through a context that lets it.
        var packReader = await YouthJustice.Pipeline.Cli.Commands.ScreenshotsCommand.SignedInAsync(fixture.Browser, fixture.Site, $"input[name=role][value=\"{ApiRoles.Board}\"]", bypassCsp: true);
        foreach (var pack in new[] { $"/yots/{DemoData.Yot}/{Quarter}/board-pack", $"/yots/{DemoData.Yot}/{Quarter}/board-pack?publish=true" })
        {
            Assert.Equal(200, (await packReader.GotoAsync(fixture.Site + pack))!.Status);
            await AssertAccessibleAsync(packReader);
        }

        var board = await fixture.SignInAsAsync(ApiRoles.Board);
        await board.GotoAsync(fixture.Site + $"/yots/{DemoData.Yot}/{Quarter}/kpis/kpi1-accommodation");
        Assert.Equal(0, await board.Locator("a[href*='/children']").CountAsync());
        await AssertAccessibleAsync(board);

        var yjb = await fixture.SignInAsAsync(ApiRoles.Yjb);
        Assert.EndsWith("/yots", yjb.Url);
        await AssertAccessibleAsync(yjb);
        await yjb.GotoAsync(fixture.Site + $"/yots/{DemoData.Yot}/{Quarter}");
        await AssertAccessibleAsync(yjb);
    }
}
