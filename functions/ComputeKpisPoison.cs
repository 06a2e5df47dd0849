using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// A <c>kpi-recompute</c> message that failed host.json's maxDequeueCount times lands on <c>kpi-recompute-poison</c>;
/// this records it (Audit row, warning) so an operator sees which YOT and quarter are stale.
/// </summary>
public sealed class ComputeKpisPoison(PoisonMessageRecorder recorder)
{
    [Function(Triggers.ComputeKpisPoisonFunction)]
    public Task RunAsync(
        [QueueTrigger(StorageNames.KpiRecomputePoisonQueue, Connection = Triggers.DataStorageConnection)] string message,
        CancellationToken cancellationToken) =>
        recorder.RecordAsync(StorageNames.KpiRecomputePoisonQueue, message, cancellationToken);
}
