using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Cli.Local;

/// <summary>The local stand-in for the <c>ComputeKpis</c> queue trigger: handles every waiting kpi-recompute message.</summary>
public static class LocalQueueWorker
{
    /// <returns>The YOT and quarter pairs recomputed.</returns>
    public static async Task<IReadOnlyList<KpiRecomputeRequest>> DrainAsync(PipelineStorage storage, KpiRecomputer recomputer, CancellationToken cancellationToken)
    {
        var queue = storage.Queue(StorageNames.KpiRecomputeQueue);
        var done = new List<KpiRecomputeRequest>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), cancellationToken)).Value;
            if (batch.Length == 0) return done;
            foreach (var message in batch)
            {
                var request = KpiRecomputeRequest.FromJson(message.Body.ToString());
                // Several drops of one run ask for the same quarter; once is enough, as recomputing is idempotent.
                if (!done.Contains(request))
                {
                    await recomputer.RecomputeAsync(request, cancellationToken);
                    done.Add(request);
                }
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
        }
    }
}
