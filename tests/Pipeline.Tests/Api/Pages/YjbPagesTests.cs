using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Tests.Reporting;
using static YouthJustice.Pipeline.Tests.Api.Pages.PageChecks;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// The YJB's pages in a real browser over the demo's data: the published view withholds small cells (and a YOT's own
/// analyst can preview it), and axe finds no WCAG 2.2 AA violation on the YJB's pages.
/// </summary>
public sealed class YjbPagesTests(DemoPages fixture) : IClassFixture<DemoPages>
{
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
        await yjb.GotoAsync(fixture.Site + $"{QuarterPath}/kpis/{kpiId}");
        Assert.Contains("Published figures", await yjb.Locator(".govuk-notification-banner").InnerTextAsync());
        var row = await GroupRowAsync(yjb, breakdown, group);
        Assert.Equal(["c", "c", "c", "c"], (await row.Locator("td").AllInnerTextsAsync()).Take(4));
        Assert.Equal(0, await yjb.Locator("a[href*='/children']").CountAsync());
        await AssertAccessibleAsync(yjb);
        Assert.Equal(403, (await yjb.GotoAsync(fixture.Site + $"{QuarterPath}/kpis/{kpiId}/children"))!.Status);

        // The YOT's own analyst sees the figure; asking for the published view shows what the YJB sees.
        var analyst = await fixture.SignInAsAsync(ApiRoles.Analyst);
        await analyst.GotoAsync(fixture.Site + $"{QuarterPath}/kpis/{kpiId}");
        var own = await GroupRowAsync(analyst, breakdown, group);
        Assert.Equal(Shown(truth.Numerator), (await own.Locator("td").AllInnerTextsAsync())[0]);
        await analyst.ClickAsync("text=Show the figures as they would be published");
        await analyst.WaitForURLAsync(url => url.EndsWith("?view=published", StringComparison.Ordinal));
        var preview = await GroupRowAsync(analyst, breakdown, group);
        Assert.Equal("c", (await preview.Locator("td").AllInnerTextsAsync())[0]);
    }

    [ChromiumFact]
    public async Task The_YJBs_list_of_YOTs_and_a_YOTs_quarter_pass_axe()
    {
        var yjb = await fixture.SignInAsAsync(ApiRoles.Yjb);
        Assert.EndsWith("/yots", yjb.Url);
        await AssertAccessibleAsync(yjb);
        await yjb.GotoAsync(fixture.Site + QuarterPath);
        await AssertAccessibleAsync(yjb);
    }
}
