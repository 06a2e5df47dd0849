using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary>What <c>pipeline serve</c> runs beside the API: the drop watcher and the timers (clock moved, never slept).</summary>
public sealed class ServeTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private sealed class RecordingJob(string schedule) : IScheduledJob
    {
        public List<DateTimeOffset> Runs { get; } = [];
        public string Name => "TestJob";
        public string ScheduleSetting => "Schedules:Test";
        public string DefaultSchedule => schedule;

        public Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            Runs.Add(now);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_timer_runs_once_when_its_schedule_comes_round_and_not_before()
    {
        var job = new RecordingJob("0 0 6 1 1,4,7,10 *");
        var runner = new ScheduledJobRunner([job], _ => null, new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Empty(await runner.RunDueAsync(new DateTimeOffset(2026, 4, 1, 5, 59, 59, TimeSpan.Zero), default));
        Assert.Equal(["TestJob"], await runner.RunDueAsync(new DateTimeOffset(2026, 4, 1, 6, 0, 30, TimeSpan.Zero), default));
        Assert.Empty(await runner.RunDueAsync(new DateTimeOffset(2026, 4, 2, 6, 0, 0, TimeSpan.Zero), default));
        Assert.Equal([new DateTimeOffset(2026, 4, 1, 6, 0, 0, TimeSpan.Zero)], job.Runs);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 6, 0, 0, TimeSpan.Zero), runner.Schedules.Single().Next);
    }

    [Fact]
    public async Task A_timers_schedule_comes_from_its_setting_when_set()
    {
        var job = new RecordingJob("0 0 6 1 1,4,7,10 *");
        var runner = new ScheduledJobRunner([job], key => key == "Schedules:Test" ? "0 30 2 * * *" : null,
            new DateTimeOffset(2026, 5, 10, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(["TestJob"], await runner.RunDueAsync(new DateTimeOffset(2026, 5, 10, 2, 30, 0, TimeSpan.Zero), default));
        Assert.Equal("0 30 2 * * *", runner.Schedules.Single().Schedule);
    }

    [Fact]
    public void The_pipelines_own_scheduled_jobs_parse_with_their_default_schedules()
    {
        var jobs = fixture.Pipeline.Services.GetServices<IScheduledJob>().ToList();
        var runner = new ScheduledJobRunner(jobs, _ => null, DateTimeOffset.UtcNow);
        Assert.Equal(jobs.Count, runner.Schedules.Count);
        Assert.All(runner.Schedules, s => Assert.NotNull(s.Next));
    }

    [Fact]
    public async Task The_watcher_ingests_a_new_upload_once()
    {
        var watcher = new DropWatcher(fixture.Storage, fixture.Pipeline.Get<DropIngestor>(), NullLogger.Instance);
        await watcher.PollOnceAsync(default);

        var name = "no-agreement-provider/school-attendance/upload.csv";
        await fixture.Storage.Container(StorageNames.DropsContainer).GetBlobClient(name)
            .UploadAsync(new BinaryData(Encoding.UTF8.GetBytes("a,b\n1,2\n")), overwrite: true);

        var receipt = Assert.Single(await watcher.PollOnceAsync(default));
        Assert.Equal("no-agreement-provider", receipt.Provider);
        Assert.Equal(ReceiptStatus.Rejected, receipt.Status);
        Assert.NotNull(await fixture.Pipeline.Get<DropLedger>().FindAsync(receipt.Provider, receipt.DropId, default));
        Assert.Empty(await watcher.PollOnceAsync(default));
    }

    [Fact]
    public async Task Token_refuses_a_role_it_does_not_know_and_an_analyst_without_a_yot()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await TokenCommand.RunAsync("admin", null, null, 8, output, error));
        Assert.Equal(ExitCodes.Usage, await TokenCommand.RunAsync("analyst", null, null, 8, output, error));
        Assert.Equal(ExitCodes.Usage, await TokenCommand.RunAsync("provider", null, null, 8, output, error));
        Assert.Empty(output.ToString());
    }
}
