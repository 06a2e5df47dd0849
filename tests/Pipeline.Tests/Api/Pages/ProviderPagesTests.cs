using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Tests.Reporting;
using static YouthJustice.Pipeline.Tests.Api.Pages.PageChecks;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// A provider's pages in a real browser over the demo's data: a school stays inside its own drops and sees no YOT page,
/// and axe finds no WCAG 2.2 AA violation on the sign-in page or any page a provider has.
/// </summary>
public sealed class ProviderPagesTests(DemoPages fixture) : IClassFixture<DemoPages>
{
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

        foreach (var path in new[]
                 {
                     $"/yots/{DemoData.Yot}", QuarterPath, $"{QuarterPath}/kpis/kpi1-accommodation",
                     $"{QuarterPath}/kpis/kpi1-accommodation/children", $"{QuarterPath}/board-pack",
                 })
        {
            var answer = await page.GotoAsync(fixture.Site + path);
            Assert.True(answer!.Status == 403, $"{path} answered {answer.Status}");
            Assert.Equal("You cannot see this page", await page.Locator("h1").InnerTextAsync());
        }
        await AssertAccessibleAsync(page);
    }

    [ChromiumFact]
    public async Task The_sign_in_page_and_every_provider_page_pass_axe()
    {
        var anonymous = await (await fixture.NewContextAsync()).NewPageAsync();
        await anonymous.GotoAsync(fixture.Site + "/sign-in");
        await AssertAccessibleAsync(anonymous);

        var school = await fixture.SignInAsProviderAsync(School);
        foreach (var path in new[]
                 {
                     "/provider/drop-types/school-attendance", "/provider/drop-types/rules", "/provider/drops",
                     $"/provider/quality?period={Quarter}",
                 })
        {
            Assert.Equal(200, (await school.GotoAsync(fixture.Site + path))!.Status);
            await AssertAccessibleAsync(school);
        }
        var receipt = (await fixture.Pipeline.Get<DropLedger>().ForProviderAsync(School, default))
            .First(e => e.GetString("Status") == ReceiptStatus.AcceptedWithErrors).RowKey;
        await school.GotoAsync(fixture.Site + $"/provider/drops/{receipt}");
        await AssertAccessibleAsync(school);
    }
}
