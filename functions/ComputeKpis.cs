using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// One <c>kpi-recompute</c> message ({yot, period}; ids only, never row contents) recomputes that YOT's quarter.
/// Idempotent, so the queue's at-least-once delivery and retries are safe.
/// </summary>
public sealed class ComputeKpis(KpiRecomputer recomputer)
{
    [Function(Triggers.ComputeKpisFunction)]
    public Task RunAsync(
        [QueueTrigger(StorageNames.KpiRecomputeQueue, Connection = Triggers.DataStorageConnection)] string message,
        CancellationToken cancellationToken) =>
        recomputer.HandleAsync(message, cancellationToken);
}
