using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Tests.Reporting;
using static YouthJustice.Pipeline.Tests.Api.Pages.PageChecks;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// A YOT analyst's pages in a real browser over the demo's data: from a KPI to a breakdown to the children behind it,
/// pseudonyms and age bands only, with axe finding no WCAG 2.2 AA violation on any page on the way.
/// </summary>
public sealed class AnalystPagesTests(DemoPages fixture) : IClassFixture<DemoPages>
{
    /// <summary>The first child-level headline KPI of the demo quarter with a group of children in its ethnicity breakdown.</summary>
    private async Task<(KpiResult Kpi, KpiGroup Group)> DrillableAsync()
    {
        var set = (await fixture.Pipeline.Get<KpiStore>().ReadAsync(DemoData.Yot, Quarter, default))!;
        return set.Kpis
            .Where(k => KpiCatalogue.IsHeadline(k.Id) && KpiChildPopulations.Of(k.Id) is not null
                && k.Breakdowns.ContainsKey(ChildProfiles.Ethnicity))
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
        await page.GotoAsync(fixture.Site + QuarterPath);
        await AssertAccessibleAsync(page);

        await page.ClickAsync($".pages-card a:text-is(\"{KpiCatalogue.Title(kpi.Id)}\")");
        await page.WaitForURLAsync($"**/kpis/{kpi.Id}");
        Assert.Equal(KpiCatalogue.Title(kpi.Id), (await page.Locator("h1").InnerTextAsync()).Split('\n')[0].Trim());
        await AssertAccessibleAsync(page);

        var row = await GroupRowAsync(page, ChildProfiles.Ethnicity, group.Group);
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal(Shown(group.Numerator), cells[0]);
        Assert.Equal(Shown(group.Denominator), cells[1]);

        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync($"**/kpis/{kpi.Id}/children?**");
        await AssertAccessibleAsync(page);
        var children = page.Locator("table tbody tr");
        Assert.Equal(group.Denominator, await children.CountAsync());
        var total = await page.Locator("table tfoot td").AllInnerTextsAsync();
        Assert.Equal([Shown(group.Numerator), Shown(group.Denominator)], total);
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
}
