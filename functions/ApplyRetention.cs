using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// Daily (app setting Schedules__Retention, default 02:00 UTC): deletes raw drops, quarantined drops and curated files
/// past their agreement's retention, one audit row per deletion. Idempotent, so a timer firing twice is safe.
/// </summary>
public sealed class ApplyRetention(RetentionJob job, TimeProvider clock)
{
    [Function(Triggers.ApplyRetentionFunction)]
    public Task RunAsync(
        [TimerTrigger(Triggers.RetentionTimer)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        job.RunAsync(clock.GetUtcNow(), cancellationToken);
}
