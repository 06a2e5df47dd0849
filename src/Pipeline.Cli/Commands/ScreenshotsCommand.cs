using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Cli.Browser;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline screenshots --out docs/screenshots</c>: serves the pages over the local state (after <c>pipeline demo</c>)
/// on a free port, signs in as the demo's school, analyst and the YJB in Debian's chromium, and writes a PNG of each
/// main page. The README shows them.
/// </summary>
public static class ScreenshotsCommand
{
    public const string School = "school-northbridge-academy";
    public const string Kpi = "kpi2-ete";

    public static async Task<int> RunAsync(DirectoryInfo outDir, TextWriter output, CancellationToken cancellationToken)
    {
        if (LocalChromium.Path is null)
        {
            await Console.Error.WriteLineAsync(
                "Chromium is not installed: install Debian's 'chromium' package (apt-get install chromium), then run this again.");
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, logLevel: LogLevel.Warning,
            configure: s => s.AddPipelineApi(DevelopmentApiKey.Options()), cancellationToken: cancellationToken);
        if (!(await pipeline.Get<AgreementStore>().AllAsync(cancellationToken)).Any(a => a.Provider.Id == School))
        {
            await Console.Error.WriteLineAsync("No demo data here: run ./pipeline demo first.");
            return ExitCodes.Usage;
        }
        await using var app = await ServeCommand.StartWebAsync(pipeline, 0, cancellationToken);
        var site = app.Urls.First();
        outDir.Create();

        var receipt = await WorstReceiptAsync(pipeline, School, cancellationToken);
        var (playwright, browser) = await LocalChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var written = new List<string>();
        async Task ShotAsync(IPage page, string path, string file)
        {
            await page.GotoAsync(site + path);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(outDir.FullName, file) });
            written.Add(file);
        }

        var school = await SignedInAsync(browser, site, $"input[name=provider][value=\"{School}\"]");
        await ShotAsync(school, "/sign-in", "sign-in.png");
        await ShotAsync(school, "/provider", "provider-send-data.png");
        if (receipt is not null) await ShotAsync(school, $"/provider/drops/{receipt}", "provider-receipt.png");
        await ShotAsync(school, "/provider/drops", "provider-drops.png");
        await ShotAsync(school, $"/provider/quality?period={DemoData.Period}", "provider-quality.png");

        var analyst = await SignedInAsync(browser, site, $"input[name=role][value=\"{ApiRoles.Analyst}\"]");
        var quarter = $"/yots/{DemoData.Yot}/{DemoData.Period}";
        await ShotAsync(analyst, quarter, "analyst-overview.png");
        await ShotAsync(analyst, $"{quarter}/kpis/{Kpi}", "analyst-kpi.png");
        await ShotAsync(analyst, $"{quarter}/kpis/{Kpi}/children", "analyst-children.png");

        var yjb = await SignedInAsync(browser, site, $"input[name=role][value=\"{ApiRoles.Yjb}\"]");
        await ShotAsync(yjb, $"{quarter}/kpis/{Kpi}", "yjb-published-kpi.png");

        foreach (var file in written) await output.WriteLineAsync(Path.Combine(outDir.FullName, file));
        return ExitCodes.Success;
    }

    /// <summary>A new browser context signed in through the development sign-in page, with the option whose form holds <paramref
    /// name="selector"/>.</summary>
    /// <param name="bypassCsp">For tests that inject a checker (axe) into a page whose CSP forbids any script, as the board pack's
    /// does.</param>
    public static async Task<IPage> SignedInAsync(IBrowser browser, string site, string selector, bool bypassCsp = false)
    {
        var context =
            await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1100 },
            BypassCSP = bypassCsp });
        LocalChromium.BePatient(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(site + "/sign-in");
        await page.Locator($"form:has({selector}) button").First.ClickAsync();
        await page.WaitForURLAsync(url => !url.EndsWith("/sign-in", StringComparison.Ordinal));
        return page;
    }

    /// <summary>The provider's drop with the most refused rows, for a receipt worth showing.</summary>
    private static async Task<string?> WorstReceiptAsync(LocalPipeline pipeline, string provider, CancellationToken cancellationToken)
    {
        var drops = await pipeline.Get<DropLedger>().ForProviderAsync(provider, cancellationToken);
        return drops.Where(e => e.GetString("Status") == ReceiptStatus.AcceptedWithErrors)
            .OrderByDescending(e => DropLedger.CountsOf(e)?.Rejected ?? 0).Select(e => e.RowKey).FirstOrDefault();
    }
}
