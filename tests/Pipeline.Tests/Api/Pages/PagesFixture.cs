using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Cli.Browser;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// What <c>./pipeline demo</c> then <c>./pipeline serve</c> give a new user, for the browser tests: a storage account of
/// the test run's one Azurite (<see cref="TestStorage"/>) holding the demo's agreements, drops and KPI results, the pages
/// and API served on a free port of 127.0.0.1 exactly as <c>serve</c> hosts them (CORS set on the storage for the upload
/// page), and Debian's chromium driven by Playwright. The drop watcher is run by the tests themselves, once each upload is in. When the tests are done,
/// storage and logs are scanned for the raw identifiers of the children in the files the tests uploaded.
/// </summary>
public sealed class PagesFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pages-demo-").FullName;
    private LocalPipeline? _pipeline;
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public ConcurrentQueue<string> Logs { get; } = new();
    public RawIdentifierScan Identifiers { get; } = new();
    public LocalPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("Not started.");
    public PipelineStorage Storage => Pipeline.Storage;
    public IBrowser Browser { get; private set; } = null!;
    public string Site { get; private set; } = "";
    public DropWatcher Watcher { get; private set; } = null!;

    public async Task InitializeAsync()
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

        foreach (var a in DemoData.Agreements()) await Pipeline.Get<YouthJustice.Pipeline.Agreements.AgreementStore>().UpsertAsync(a, default);
        // Only the files the tests upload are remembered for the scan: the demo's cohort has children surnamed White, as
        // an ethnicity group is named, so every breakdown row of the KPI results would read as a leak.
        foreach (var d in DemoData.Write(_folder))
            await IngestCommand.UploadAndIngestAsync(Pipeline, d.Path, d.Provider, d.DropType, default);
        await LocalQueueWorker.DrainAsync(Storage, Pipeline.Get<KpiRecomputer>(), default);
        Watcher = new DropWatcher(Storage, Pipeline.Get<DropIngestor>(), Pipeline.Get<ILoggerFactory>().CreateLogger("watcher"));
        // The demo's own uploads are in drops/ already: the watcher's first look takes them (all duplicates).
        await Watcher.PollOnceAsync(default);

        _app = await ServeCommand.StartWebAsync(Pipeline, 0, default);
        Site = _app.Urls.First();
        if (LocalChromium.Path is not null) (_playwright, Browser) = await LocalChromium.LaunchAsync();
    }

    /// <summary>A fresh browser (its own cookies) signed in with the sign-in page's option whose form holds <paramref name="selector"/>.</summary>
    public Task<IPage> SignInAsync(string selector) => ScreenshotsCommand.SignedInAsync(Browser, Site, selector);

    public Task<IPage> SignInAsProviderAsync(string provider) => SignInAsync($"input[name=provider][value=\"{provider}\"]");

    public Task<IPage> SignInAsAsync(string role) => SignInAsync($"input[name=role][value=\"{role}\"]");

    public async Task DisposeAsync()
    {
        try
        {
            if (Browser is not null) await Browser.DisposeAsync();
            _playwright?.Dispose();
            if (_app is not null) await _app.DisposeAsync();
            if (_pipeline is not null)
            {
                var leaks = await Identifiers.FindAsync(Storage, Logs);
                if (leaks.Count > 0)
                    throw new InvalidOperationException($"Raw identifiers of test children got past the gate:\n{string.Join("\n", leaks.Take(20))}");
            }
        }
        finally
        {
            if (_pipeline is not null)
            {
                await TestStorage.DeleteAllAsync(Storage);
                await _pipeline.DisposeAsync();
            }
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>The page test classes share one fixture: the demo is loaded once.</summary>
[CollectionDefinition(Name)]
public sealed class PagesGroup : ICollectionFixture<PagesFixture>
{
    public const string Name = "pages";
}
