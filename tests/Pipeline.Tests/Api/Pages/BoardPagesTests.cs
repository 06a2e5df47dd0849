using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Tests.Reporting;
using static YouthJustice.Pipeline.Tests.Api.Pages.PageChecks;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// A board member's pages in a real browser over the demo's data: the board pack, as kept and as published, and a KPI
/// with no way to the children behind it, each with no WCAG 2.2 AA violation axe can find.
/// </summary>
public sealed class BoardPagesTests(DemoPages fixture) : IClassFixture<DemoPages>
{
    [ChromiumFact]
    public async Task The_board_pack_and_a_board_members_KPI_page_pass_axe()
    {
        // The board pack forbids every script in its own CSP, so axe goes in through a context that lets it.
        var packReader = await fixture.SignInAsAsync(ApiRoles.Board, bypassCsp: true);
        foreach (var pack in new[] { $"{QuarterPath}/board-pack", $"{QuarterPath}/board-pack?publish=true" })
        {
            Assert.Equal(200, (await packReader.GotoAsync(fixture.Site + pack))!.Status);
            await AssertAccessibleAsync(packReader);
        }

        var board = await fixture.SignInAsAsync(ApiRoles.Board);
        await board.GotoAsync(fixture.Site + $"{QuarterPath}/kpis/kpi1-accommodation");
        Assert.Equal(0, await board.Locator("a[href*='/children']").CountAsync());
        await AssertAccessibleAsync(board);
    }
}
