using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Cli.Local;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline serve [--port 7071]</c>: what <c>func start</c> runs in Azure, together over Azurite — the drop watcher
/// (polls drops/; Event Grid in Azure), the kpi-recompute queue worker, every scheduled job on its CRON schedule, and the
/// analysts' API. Ctrl+C stops them all.
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

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(pipeline.Get<PipelineApi>());
        await using var app = builder.Build();
        app.MapPipelineApi();
        await app.StartAsync(cancellationToken);

        var settings = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var clock = pipeline.Get<TimeProvider>();
        var timers = new ScheduledJobRunner(pipeline.Services.GetServices<IScheduledJob>(), key => settings[key], clock.GetUtcNow());
        var watcher = new DropWatcher(pipeline.Storage, pipeline.Get<DropIngestor>(), logger);

        await output.WriteLineAsync($"API:     {string.Join(", ", app.Urls)}  (OpenAPI: {ApiRoutes.OpenApi}; tokens: pipeline token --role analyst --yot ID)");
        await output.WriteLineAsync($"Watcher: polling {Storage.StorageNames.DropsContainer}/ every {PollInterval.TotalSeconds:0} s");
        await output.WriteLineAsync($"Worker:  {Storage.StorageNames.KpiRecomputeQueue} queue");
        foreach (var (name, schedule, next) in timers.Schedules)
            await output.WriteLineAsync($"Timer:   {name} \"{schedule}\" next {next:yyyy-MM-dd HH:mm:ss}Z");
        await output.WriteLineAsync("Ctrl+C stops.");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        void OnError(string loop, Exception ex) => logger.LogError("{Loop} failed: {Error}: {Message}", loop, ex.GetType().Name, ex.Message);
        await Task.WhenAll(
            PollAsync("watcher", ct => watcher.PollOnceAsync(ct), clock, OnError, stop.Token),
            PollAsync("worker", ct => LocalQueueWorker.DrainAsync(pipeline.Storage, pipeline.Get<KpiRecomputer>(), ct), clock, OnError, stop.Token),
            IgnoreCancellation(timers.RunAsync(clock, OnError, stop.Token)));

        await app.StopAsync(CancellationToken.None);
        await output.WriteLineAsync("Stopped.");
        return ExitCodes.Success;
    }

    private static async Task PollAsync(string name, Func<CancellationToken, Task> poll, TimeProvider clock, Action<string, Exception> onError, CancellationToken cancellationToken)
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
