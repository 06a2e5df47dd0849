using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Local;

/// <summary>
/// The local stand-in for the <c>ComputeKpis</c> queue trigger. The kpi-recompute messages are only nudges: what must
/// be done is held by the dirty recompute markers. So the drain takes every waiting message off the queue, then
/// recomputes every dirty quarter once, including those of a recompute that died (its message may still be invisible
/// for minutes; its marker is dirty at once).
/// </summary>
public static class LocalQueueWorker
{
    /// <returns>The YOT and quarter pairs recomputed.</returns>
    public static async Task<IReadOnlyList<KpiRecomputeRequest>> DrainAsync(PipelineStorage storage, KpiRecomputer recomputer,
        CancellationToken cancellationToken,
        int parallelism = 1)
    {
        var queue = storage.Queue(StorageNames.KpiRecomputeQueue);
        var nudged = new List<string>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), cancellationToken)).Value;
            if (batch.Length == 0) break;
            foreach (var message in batch)
            {
                if (!nudged.Contains(message.Body.ToString())) nudged.Add(message.Body.ToString());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
        }

        var done = (await recomputer.RecoverAsync(null, cancellationToken, parallelism)).ToList();
        // A message with no dirty marker behind it (sent by hand, or before markers existed) is handled as the trigger would.
        foreach (var message in nudged)
        {
            var request = KpiRecomputeRequest.FromJson(message);
            if (done.Contains(request)) continue;
            await recomputer.HandleAsync(message, cancellationToken);
            done.Add(request);
        }
        return done;
    }
}
