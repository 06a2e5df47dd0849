using System.Globalization;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using YouthJustice.Pipeline.Local.Demo;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>What the browser tests of the pages check on any page, and the demo's names they use.</summary>
internal static class PageChecks
{
    public const string School = "school-northbridge-academy";
    public const string OtherSchool = "school-st-aidans-catholic-high";
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    public static string Quarter => DemoData.Period.ToString();

    /// <summary>The demo YOT's pages for its demo quarter: <c>/yots/{yot}/{quarter}</c> and what is under it.</summary>
    public static string QuarterPath => $"/yots/{DemoData.Yot}/{Quarter}";

    /// <summary>A figure as the pages print it.</summary>
    public static string Shown(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// axe-core over the page as shown: no violation of WCAG 2.0–2.2 A/AA, each named with its elements if there is one.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        // Violations only: axe still runs every rule of the tags on every element, but builds no details (selectors, HTML)
        // for the thousands that pass, which on the board pack costs more than the checks themselves.
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
            ResultTypes = [ResultType.Violations],
        });
        var found = result.Violations
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(found.Count == 0, $"axe found on {page.Url}:\n{string.Join("\n", found)}");
    }

    /// <summary>
    /// The row of a breakdown table whose heading cell is the group (with or without its link's hidden "see these children").
    /// </summary>
    public static async Task<ILocator> GroupRowAsync(IPage page, string breakdown, string group)
    {
        var rows = page.Locator($"#breakdown-{breakdown} ~ table").First.Locator("tbody tr");
        var headings = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var heading = Regex.Replace(await rows.Nth(i).Locator("th").TextContentAsync() ?? "", @"\s+", " ").Trim();
            if (heading == group || heading == $"{group}: see these children") return rows.Nth(i);
            headings.Add(heading);
        }
        throw new InvalidOperationException(
            $"No row for '{group}' in the {breakdown} breakdown of {page.Url}; rows: {string.Join(" | ", headings)}.");
    }
}
