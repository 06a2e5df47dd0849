namespace YouthJustice.Pipeline.Hosting;

/// <summary>
/// An entry point run on a schedule: a timer function in Azure (its CRON expression read from the app setting
/// <see cref="ScheduleSetting"/>), and the local host's timer loop (<c>pipeline serve</c>), which reads the same
/// setting. Runs must be idempotent: a timer may fire twice, and a missed run is caught up by the next.
/// </summary>
public interface IScheduledJob
{
    /// <summary>The function name, also used in audit rows and logs.</summary>
    string Name { get; }

    /// <summary>The configuration key holding the six-field CRON expression (Azure Functions NCRONTAB, with seconds).</summary>
    string ScheduleSetting { get; }

    /// <summary>The schedule when the setting is empty.</summary>
    string DefaultSchedule { get; }

    /// <param name="now">The time the run is for; tests pass a moved clock rather than sleeping.</param>
    Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
