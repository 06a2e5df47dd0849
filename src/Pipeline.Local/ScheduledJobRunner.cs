using Cronos;
using YouthJustice.Pipeline.Hosting;

namespace YouthJustice.Pipeline.Local;

/// <summary>
/// The local stand-in for the timer triggers: every <see cref="IScheduledJob"/> on the six-field CRON schedule its
/// setting holds (the same app setting as in Azure, e.g. Schedules__QuarterlyReturns), or its default. Like a timer
/// trigger without past-due catch-up, the first run is the first occurrence after the runner starts.
/// </summary>
public sealed class ScheduledJobRunner
{
    private readonly List<Entry> _entries;

    public ScheduledJobRunner(IEnumerable<IScheduledJob> jobs, Func<string, string?> setting, DateTimeOffset start)
    {
        _entries = jobs.Select(job =>
        {
            var expression = setting(job.ScheduleSetting) is { Length: > 0 } s ? s : job.DefaultSchedule;
            var cron = CronExpression.Parse(expression, CronFormat.IncludeSeconds);
            return new Entry(job, expression, cron) { Next = cron.GetNextOccurrence(start, TimeZoneInfo.Utc) };
        }).ToList();
    }

    public IReadOnlyList<(string Name, string Schedule, DateTimeOffset? Next)> Schedules =>
        _entries.Select(e => (e.Job.Name, e.Expression, e.Next)).ToList();

    /// <summary>Runs every job whose next occurrence is at or before <paramref name="now"/> (once, however many were missed).</summary>
    /// <returns>The names of the jobs run.</returns>
    public async Task<IReadOnlyList<string>> RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ran = new List<string>();
        foreach (var entry in _entries.Where(e => e.Next is { } next && next <= now).ToList())
        {
            // The next occurrence first: a failing job waits for its next slot rather than retrying in a loop.
            var due = entry.Next!.Value;
            entry.Next = entry.Cron.GetNextOccurrence(now, TimeZoneInfo.Utc);
            await entry.Job.RunAsync(due, cancellationToken);
            ran.Add(entry.Job.Name);
        }
        return ran;
    }

    /// <summary>Sleeps until the earliest due job (at most a minute at a time, so a moved system clock is noticed).</summary>
    public async Task RunAsync(TimeProvider clock, Action<string, Exception> onError, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = _entries.Select(e => e.Next).Where(n => n is not null).Min() ?? now.AddMinutes(1);
            var wait = next - now;
            if (wait > TimeSpan.Zero) await Task.Delay(wait < TimeSpan.FromMinutes(1) ? wait : TimeSpan.FromMinutes(1), clock,
                cancellationToken);
            try
            {
                await RunDueAsync(clock.GetUtcNow(), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                onError("timer", ex);
            }
        }
    }

    private sealed record Entry(IScheduledJob Job, string Expression, CronExpression Cron)
    {
        public DateTimeOffset? Next { get; set; }
    }
}
