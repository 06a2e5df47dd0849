using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// Quarterly (app setting Schedules__QuarterlyReturns, default 06:00 UTC on the first day of each quarter): builds every
/// YOT's YJB return for the quarter just ended. Keyed by meaning, so a timer firing twice writes nothing new.
/// </summary>
public sealed class SubmitKpiReturns(QuarterlyReturns returns, TimeProvider clock)
{
    [Function(Triggers.SubmitKpiReturnsFunction)]
    public Task RunAsync(
        [TimerTrigger(Triggers.QuarterlyReturnsTimer)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        returns.RunAsync(clock.GetUtcNow(), cancellationToken);
}
