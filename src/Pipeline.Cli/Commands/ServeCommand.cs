using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Pages;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline serve [--port 7071]</c>: what <c>func start</c> runs in Azure, together over Azurite — the drop watcher
/// (polls drops/; Event Grid in Azure), the kpi-recompute queue worker, every scheduled job on its CRON schedule, the
/// analysts' API and the pages. Ctrl+C stops them all.
/// </summary>
public static class ServeCommand
{
    public const int DefaultPort = 7071;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(int port, TextWriter output, CancellationToken cancellationToken)
    {
        if (port is < 0 or > 65535)
        {
            await Console.Error.WriteLineAsync("--port must be from 0 to 65535.");
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, logLevel: LogLevel.Information,
            configure: s => s.AddPipelineApi(DevelopmentApiKey.Options()), cancellationToken: cancellationToken);
        var logger = pipeline.Get<ILoggerFactory>().CreateLogger("serve");

        await using var app = await StartWebAsync(pipeline, port, cancellationToken);

        var settings = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var clock = pipeline.Get<TimeProvider>();
        var timers = new ScheduledJobRunner(pipeline.Services.GetServices<IScheduledJob>(), key => settings[key], clock.GetUtcNow());
        var watcher = new DropWatcher(pipeline.Storage, pipeline.Get<DropIngestor>(), logger);

        await output.WriteLineAsync($"Pages:   {app.Urls.First()}/  (sign in as a demo provider, analyst, board member or the YJB)");
        await output.WriteLineAsync(
            $"API:     {string.Join(", ", app.Urls)}  (OpenAPI: {ApiRoutes.OpenApi}; tokens: pipeline token --role analyst --yot ID)");
        await output.WriteLineAsync($"Watcher: polling {Storage.StorageNames.DropsContainer}/ every {PollInterval.TotalSeconds:0} s");
        await output.WriteLineAsync($"Worker:  {Storage.StorageNames.KpiRecomputeQueue} queue");
        foreach (var (name, schedule, next) in timers.Schedules)
            await output.WriteLineAsync($"Timer:   {name} \"{schedule}\" next {next:yyyy-MM-dd HH:mm:ss}Z");
        await output.WriteLineAsync("Ctrl+C stops.");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        void OnError(string loop, Exception ex) => logger.LogError("{Loop} failed: {Error}: {Message}", loop, ex.GetType().Name,
            ex.Message);
        await Task.WhenAll(
            PollAsync("watcher", ct => watcher.PollOnceAsync(ct), clock, OnError, stop.Token),
            PollAsync("worker", ct => LocalQueueWorker.DrainAsync(pipeline.Storage, pipeline.Get<KpiRecomputer>(), ct), clock, OnError,
                stop.Token),
            IgnoreCancellation(timers.RunAsync(clock, OnError, stop.Token)));

        await app.StopAsync(CancellationToken.None);
        await output.WriteLineAsync("Stopped.");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The web host of <c>pipeline serve</c> (and of the browser tests and <c>pipeline screenshots</c>): the pages and the
    /// API on 127.0.0.1 (<paramref name="port"/> 0 picks a free one), with the local storage's CORS set so the upload
    /// page can send files straight to it. The pipeline's services must include <c>AddPipelineApi</c>.
    /// </summary>
    public static async Task<WebApplication> StartWebAsync(LocalPipeline pipeline, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(pipeline.Get<PipelineApi>());
        builder.Services.AddSingleton(pipeline.Get<PipelinePages>());
        var app = builder.Build();
        app.MapPipelineApi();
        app.MapPipelinePages();
        await app.StartAsync(cancellationToken);
        var origins = app.Urls.Select(u => new Uri(u)).SelectMany(u =>
            new[] { $"http://127.0.0.1:{u.Port}", $"http://localhost:{u.Port}" });
        await pipeline.Storage.AllowBrowserUploadsAsync(origins, cancellationToken);
        return app;
    }

    private static async Task PollAsync(string name, Func<CancellationToken, Task> poll, TimeProvider clock,
        Action<string, Exception> onError, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await poll(cancellationToken);
                await Task.Delay(PollInterval, clock, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                onError(name, ex);
            }
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
