using Microsoft.Playwright;

namespace YouthJustice.Pipeline.Cli.Browser;

/// <summary>
/// Debian's chromium driven by Playwright through its executable path: Playwright's own browser download is never used
/// (nothing can be downloaded on these machines, and the system browser is the one people have).
/// </summary>
public static class LocalChromium
{
    /// <summary>The system chromium, or null when it is not installed (<c>apt-get install chromium</c>).</summary>
    public static string? Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "chromium")).FirstOrDefault(File.Exists);

    /// <summary>
    /// How long a launch, a navigation or a click may take before it counts as hung. Playwright's 30 s default is for a
    /// developer's desk: chromium's first start on a fresh machine builds its font cache, and a 2-core CI machine running
    /// tests in parallel can spend longer than that on one step that is slow, not stuck.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Gives <paramref name="context"/>'s pages <see cref="Patience"/> for every action and navigation.</summary>
    public static void BePatient(IBrowserContext context)
    {
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = Path
            ?? throw new InvalidOperationException(
            "Chromium is not installed: install Debian's 'chromium' package (apt-get install chromium).");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                // Root in a container has no user namespace for chromium's sandbox.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                Timeout = (float)Patience.TotalMilliseconds,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
