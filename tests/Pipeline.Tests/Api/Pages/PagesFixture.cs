using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Cli.Browser;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// What <c>./pipeline demo</c> then <c>./pipeline serve</c> give a new user: a storage account of the test run's one
/// Azurite (<see cref="TestStorage"/>) holding the demo's agreements (and, for <see cref="DemoPages"/>, its drops and KPI
/// results), the pages and API served on a free port of 127.0.0.1 exactly as <c>serve</c> hosts them (CORS set on the
/// storage for the upload page), and a browser context of the run's one chromium per sign-in.
/// </summary>
public abstract class PagesFixtureBase
{
    private readonly ConcurrentBag<IBrowserContext> _contexts = [];

    public abstract PagesServer Server { get; }
    public LocalPipeline Pipeline => Server.Pipeline;
    public PipelineStorage Storage => Pipeline.Storage;
    public string Site => Server.Site;

    /// <summary>A fresh browser context (its own cookies) of the run's chromium, closed when the class is done.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await (await PagesBrowser.SharedAsync()).NewContextAsync();
        LocalChromium.BePatient(context);
        _contexts.Add(context);
        return context;
    }

    /// <summary>A fresh browser context signed in with the sign-in page's option whose form holds <paramref name="selector"/>.</summary>
    /// <param name="bypassCsp">For axe on a page whose CSP forbids any script, as the board pack's does.</param>
    public async Task<IPage> SignInAsync(string selector, bool bypassCsp = false)
    {
        var page = await ScreenshotsCommand.SignedInAsync(await PagesBrowser.SharedAsync(), Site, selector, bypassCsp);
        _contexts.Add(page.Context);
        return page;
    }

    public Task<IPage> SignInAsProviderAsync(string provider) => SignInAsync($"input[name=provider][value=\"{provider}\"]");

    public Task<IPage> SignInAsAsync(string role, bool bypassCsp = false) => SignInAsync($"input[name=role][value=\"{role}\"]", bypassCsp);

    protected async Task CloseContextsAsync()
    {
        while (_contexts.TryTake(out var context)) await context.CloseAsync();
    }
}

/// <summary>
/// The demo's drops and KPI results served once for the whole test run and shared by every page test class that only
/// reads (each with browser contexts of its own), so the demo is loaded once and those classes run in parallel. Nothing
/// may be sent to it: a test that uploads uses <see cref="UploadPages"/>, whose storage is its class's alone.
/// </summary>
public sealed class DemoPages : PagesFixtureBase, IAsyncLifetime
{
    // Never disposed: the account outlives every class that reads it, and goes with the test run's Azurite. Started on the
    // thread pool (as is the browser below): run inline, its first steps would hold the Lazy's lock on one of xunit's few
    // threads while the classes that wait for it block the others, and the run would stop there.
    private static readonly Lazy<Task<PagesServer>> Shared = new(() => Task.Run(() => PagesServer.StartAsync(withDemoDrops: true)));

    private PagesServer? _server;

    public override PagesServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _server = await Shared.Value;

    public Task DisposeAsync() => CloseContextsAsync();
}

/// <summary>
/// A page test class's own account holding the demo's agreements and no drops, for tests that upload: the drop watcher
/// is run by the tests themselves once each upload is in, so only their own files are in it. When the class is done,
/// storage and logs are scanned for the raw identifiers of the children in the files the tests uploaded.
/// </summary>
public sealed class UploadPages : PagesFixtureBase, IAsyncLifetime
{
    private PagesServer? _server;

    public override PagesServer Server => _server ?? throw new InvalidOperationException("Not started.");
    public RawIdentifierScan Identifiers { get; } = new();
    public DropWatcher Watcher => Server.Watcher;

    public async Task InitializeAsync() => _server = await PagesServer.StartAsync(withDemoDrops: false);

    public async Task DisposeAsync()
    {
        if (_server is null) return;
        try
        {
            await CloseContextsAsync();
            var leaks = await Identifiers.FindAsync(Storage, Server.Logs);
            if (leaks.Count > 0)
                throw new InvalidOperationException(
                    $"Raw identifiers of test children got past the gate:\n{string.Join("\n", leaks.Take(20))}");
        }
        finally
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The pipeline over an account of its own and the pages and API served over it, as <c>pipeline serve</c> hosts them.</summary>
public sealed class PagesServer : IAsyncDisposable
{
    private LocalPipeline? _pipeline;
    private WebApplication? _app;

    private PagesServer() { }

    public ConcurrentQueue<string> Logs { get; } = new();
    public LocalPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("Not started.");
    public string Site { get; private set; } = "";
    public DropWatcher Watcher { get; private set; } = null!;

    public static async Task<PagesServer> StartAsync(bool withDemoDrops)
    {
        var server = new PagesServer();
        try
        {
            await server.InitializeAsync(withDemoDrops);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(bool withDemoDrops)
    {
        _pipeline = await LocalPipeline.StartAsync(inMemory: false,
            overrides: new Dictionary<string, string?>
            {
                ["DataStorage:ConnectionString"] = await TestStorage.NewAccountAsync(),
                ["Pseudonymisation:Key"] = PipelineFixture.TestKey,
                ["Pseudonymisation:KeyVersion"] = "test-v1",
            },
            configure: s => s.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(Logs))
                .AddPipelineApi(new ApiAuthOptions { SigningKey = DevelopmentTokens.NewKey() }),
            logLevel: LogLevel.Trace);

        foreach (var a in DemoData.Agreements()) await Pipeline.Get<AgreementStore>().UpsertAsync(a, default);
        if (withDemoDrops)
        {
            var folder = Directory.CreateTempSubdirectory("pages-demo-").FullName;
            try
            {
                // The demo's files are never remembered for the identifier scan: its cohort has children surnamed White, as
                // an ethnicity group is named, so every breakdown row of the KPI results would read as a leak.
                foreach (var d in DemoData.Write(folder))
                    await IngestCommand.UploadAndIngestAsync(Pipeline, d.Path, d.Provider, d.DropType, default);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
            await LocalQueueWorker.DrainAsync(Pipeline.Storage, Pipeline.Get<KpiRecomputer>(), default);
        }
        Watcher = new DropWatcher(Pipeline.Storage, Pipeline.Get<DropIngestor>(), Pipeline.Get<ILoggerFactory>().CreateLogger("watcher"));
        _app = await ServeCommand.StartWebAsync(Pipeline, 0, default);
        Site = _app.Urls.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_pipeline is not null)
        {
            await TestStorage.DeleteAllAsync(_pipeline.Storage);
            await _pipeline.DisposeAsync();
        }
    }
}

/// <summary>
/// One chromium for the whole test run, launched by the first page test that signs in: each test class opens contexts
/// of its own in it (their own cookies and storage), which costs milliseconds where a browser costs seconds of CPU.
/// </summary>
public static class PagesBrowser
{
    private static readonly Lazy<Task<IBrowser>> Shared = new(() => Task.Run(async () =>
    {
        var (playwright, browser) = await LocalChromium.LaunchAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            browser.CloseAsync().Wait(TimeSpan.FromSeconds(10));
            playwright.Dispose();
        };
        return browser;
    }));

    public static Task<IBrowser> SharedAsync() => Shared.Value;
}
