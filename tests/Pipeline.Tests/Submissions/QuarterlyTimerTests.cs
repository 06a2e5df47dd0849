using Microsoft.Extensions.DependencyInjection;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Submissions;

/// <summary>The quarterly timer: registered with the host's scheduled jobs, and at 06:00 on 1 July it builds 2026-Q2 for every YOT with an
/// agreement.</summary>
public sealed class QuarterlyTimerTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Fact]
    public void The_returns_are_a_scheduled_job_with_the_quarterly_default()
    {
        var job = Assert.Single(fixture.Pipeline.Services.GetServices<IScheduledJob>(), j => j.Name == Triggers.SubmitKpiReturnsFunction);
        Assert.Equal(("Schedules:QuarterlyReturns", "0 0 6 1 1,4,7,10 *"), (job.ScheduleSetting, job.DefaultSchedule));
        Assert.IsType<QuarterlyReturns>(job);
    }

    [Fact]
    public async Task At_six_on_1_July_it_builds_2026_Q2_for_every_yot_with_an_agreement_once()
    {
        await ReturnScenario.SendAsync(fixture, "yot-qt-data", "QTD");
        // A YOT whose agreement is in place but which has sent nothing yet: its return is built too, its figures missing or zero.
        await fixture.AddAgreementAsync(Agreement("school-qt", "yot-qt-empty", ["school-attendance"]));
        var yots = (await fixture.Pipeline.Get<AgreementStore>().AllAsync(default)).Select(a => a.Yot).Distinct()
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["yot-qt-data", "yot-qt-empty"], yots);

        var job = fixture.Pipeline.Get<QuarterlyReturns>();
        await job.RunAsync(new DateTimeOffset(2026, 7, 1, 6, 0, 0, TimeSpan.Zero), default);

        var ledger = fixture.Pipeline.Get<SubmissionLedger>();
        var built = await ledger.ForPeriodAsync("2026-Q2");
        Assert.Equal(yots.Select(y => (y, 1, SubmissionStates.Built)), built.Select(e => (e.Yot, e.Version, e.State)));
        Assert.Empty(await ledger.ForPeriodAsync("2026-Q3"));
        var blobs = await fixture.BlobNamesAsync(StorageNames.SubmissionsContainer);
        Assert.All(yots, y => Assert.Contains($"yjb/2026-Q2/{y}/return-v1.json", blobs));

        // The timer firing twice (the runtime may) writes nothing new.
        await job.RunAsync(new DateTimeOffset(2026, 7, 1, 6, 0, 5, TimeSpan.Zero), default);
        Assert.Equal(blobs, await fixture.BlobNamesAsync(StorageNames.SubmissionsContainer));
        Assert.All(await ledger.ForPeriodAsync("2026-Q2"), e => Assert.Equal(SubmissionStates.Unchanged, e.LastRun));
    }
}
