using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// Entry point of the <c>ComputeKpis</c> stage: one <c>kpi-recompute</c> message, one YOT and quarter recomputed
/// from committed curated data and stored. Running it twice, or twice at once, leaves the same results.
/// <para>
/// One commit point per recompute: the quarter's marker (<see cref="KpiRecomputeMarkers"/>) is read first, the results
/// are computed and stamped with its <c>Requested</c> count, stored (<see cref="KpiStore.WriteAsync"/>, conditional on
/// ETags so an older computation never replaces a newer one), and only then is the marker cleared, conditionally, if
/// nothing more was asked for meanwhile. A recompute that dies anywhere before that leaves the quarter dirty, and the
/// next worker, queue drain or <c>pipeline kpis</c> recomputes it at once; there is no message to wait for.
/// </para>
/// </summary>
public sealed class KpiRecomputer(KpiEngine engine, KpiStore store, KpiRecomputeMarkers markers, AuditLog audit,
    Pseudonymiser pseudonymiser, IFaultInjector faults, TimeProvider clock, ILogger<KpiRecomputer> logger)
{
    /// <summary>
    /// The queue trigger: the message names a quarter to look at. A quarter that is clean and has results stored is
    /// skipped; a dirty one is recomputed together with every other dirty quarter of its YOT, reading the YOT's data
    /// once. So the many messages one extract sends (one per drop and quarter) cost one recompute per quarter, and the
    /// messages for quarters already done by an earlier pass are skipped.
    /// </summary>
    public async Task<KpiSet?> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var request = KpiRecomputeRequest.FromJson(message);
        var marker = await markers.GetAsync(request.Yot, request.Period, cancellationToken);
        if (marker is { Dirty: false } && await store.ReadAsync(request.Yot, request.Period, cancellationToken) is { } stored)
        {
            logger.LogInformation("KPIs of {Yot} for {Period} are current; nothing to recompute", request.Yot, request.Period);
            return stored;
        }
        var quarters = (await markers.DirtyAsync(request.Yot, cancellationToken)).Select(m => m.Period).Append(request.Period)
            .Distinct(StringComparer.Ordinal).Select(Quarter.Parse).ToList();
        var sets = await RecomputeAsync(request.Yot, quarters, cancellationToken);
        return sets.Single(s => s.Period == request.Period);
    }

    public async Task<KpiSet> RecomputeAsync(KpiRecomputeRequest request, CancellationToken cancellationToken) =>
        (await RecomputeAsync(request.Yot, [Quarter.Parse(request.Period)], cancellationToken))[0];

    /// <summary>Recomputes and stores several quarters of one YOT from one read of its data.</summary>
    /// <returns>The results as stored, one per quarter, in the order given.</returns>
    public async Task<IReadOnlyList<KpiSet>> RecomputeAsync(string yot, IReadOnlyList<Quarter> quarters,
        CancellationToken cancellationToken)
    {
        // A recompute writes no pseudonyms, but a deployment whose key fails its check is misconfigured: stop it here too.
        await pseudonymiser.VerifyAsync(cancellationToken);
        // The markers before the data: every drop whose change these counts include is committed before it was
        // counted, so the computation below sees it.
        var requested = new List<long>();
        foreach (var quarter in quarters)
            requested.Add((await markers.GetAsync(yot, quarter.ToString(), cancellationToken))?.Requested ?? 0);
        var data = await engine.LoadAsync(yot, cancellationToken);
        var sets = new List<KpiSet>();
        for (var i = 0; i < quarters.Count; i++)
            sets.Add(await StoreAsync(
                await engine.ComputeAsync(yot, quarters[i], data, cancellationToken) with { Computation = requested[i] },
                cancellationToken));
        return sets;
    }

    private async Task<KpiSet> StoreAsync(KpiSet set, CancellationToken cancellationToken)
    {
        await faults.AtAsync(FaultPoints.KpisComputed, cancellationToken);
        PipelineMetrics.KpiRecomputes.Add(1, new KeyValuePair<string, object?>("yot", set.Yot),
            new KeyValuePair<string, object?>("period", set.Period));

        if (!await store.WriteAsync(set, cancellationToken, ct => faults.AtAsync(FaultPoints.KpiParquetWritten, ct)))
        {
            logger.LogInformation("KPIs of {Yot} for {Period}: a newer computation is already stored; this one is dropped", set.Yot,
                set.Period);
            return await store.ReadAsync(set.Yot, set.Period, cancellationToken) ?? set;
        }
        await faults.AtAsync(FaultPoints.KpisStored, cancellationToken);
        await audit.AppendAsync(new AuditEntry($"kpis-{set.Yot}-{set.Period}", ComputeStep(set), "pipeline",
            $"computed {set.Kpis.Count} KPI(s) (rows = result rows written)", null,
            KpiRow.From(set).Count(), clock.GetUtcNow(), $"{set.SourceDrops.Count} source drop(s); {KpiEngine.Version}"),
            cancellationToken);
        await markers.MarkComputedAsync(set.Yot, set.Period, set.Computation, cancellationToken);
        logger.LogInformation("KPIs of {Yot} for {Period} recomputed from {Drops} drop(s)", set.Yot, set.Period, set.SourceDrops.Count);
        return set;
    }

    /// <summary>
    /// Recomputes every dirty quarter (of one YOT, or of all), one pass per YOT reading its data once, a few YOTs at a
    /// time; what a queue drain does first.
    /// </summary>
    /// <returns>The quarters recomputed.</returns>
    public async Task<IReadOnlyList<KpiRecomputeRequest>> RecoverAsync(string? yot, CancellationToken cancellationToken,
        int parallelism = 1)
    {
        var dirty = (await markers.DirtyAsync(yot, cancellationToken)).Select(m => new KpiRecomputeRequest(m.Yot, m.Period)).ToList();
        await Parallel.ForEachAsync(dirty.GroupBy(r => r.Yot),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (group, ct) => await RecomputeAsync(group.Key, group.Select(r => Quarter.Parse(r.Period)).ToList(), ct));
        return dirty;
    }

    /// <summary>
    /// The results as they stand now, for <c>pipeline kpis</c>: recomputed and stored first if the quarter is dirty (a
    /// recompute asked for and not done, or one that died), so stale figures are never shown; computed on the spot
    /// without storing if no drop ever asked for the quarter.
    /// </summary>
    public async Task<KpiSet> CurrentAsync(string yot, Quarter quarter, CancellationToken cancellationToken)
    {
        if (await markers.GetAsync(yot, quarter.ToString(), cancellationToken) is { Dirty: true })
            return await RecomputeAsync(new KpiRecomputeRequest(yot, quarter.ToString()), cancellationToken);
        return await store.ReadAsync(yot, quarter.ToString(), cancellationToken)
            ?? await engine.ComputeAsync(yot, quarter, cancellationToken);
    }

    /// <summary>
    /// One audit row per distinct computation: the step names the inputs (the source drops, the population estimate the
    /// rates used and the engine version), so a redelivered message recomputing from the same inputs finds its row, and
    /// a recompute after a new drop, a new population figure (or after retention deleted a drop's curated data) adds a
    /// row. The Audit table is append-only.
    /// </summary>
    public static string ComputeStep(KpiSet set) =>
        "compute-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join("\n", set.SourceDrops.Order(StringComparer.Ordinal)
                .Concat(set.Kpis.Select(k => k.Population).OfType<PopulationBasis>().Distinct()
                    .Select(p => $"population {p.Year} {p.Population} {p.Source}"))
                .Append(KpiEngine.Version)))))[..16];
}
