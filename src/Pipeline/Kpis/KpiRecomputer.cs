using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// Entry point of the <c>ComputeKpis</c> stage: one <c>kpi-recompute</c> message, one YOT and quarter recomputed
/// from curated data and stored. Running it twice, or twice at once, leaves the same results.
/// </summary>
public sealed class KpiRecomputer(KpiEngine engine, KpiStore store, AuditLog audit, TimeProvider clock, ILogger<KpiRecomputer> logger)
{
    public Task<KpiSet> HandleAsync(string message, CancellationToken cancellationToken) =>
        RecomputeAsync(KpiRecomputeRequest.FromJson(message), cancellationToken);

    public async Task<KpiSet> RecomputeAsync(KpiRecomputeRequest request, CancellationToken cancellationToken)
    {
        var quarter = Quarter.Parse(request.Period);
        var set = await engine.ComputeAsync(request.Yot, quarter, cancellationToken);
        await store.WriteAsync(set, cancellationToken);
        await audit.AppendAsync(new AuditEntry($"kpis-{request.Yot}-{quarter}", ComputeStep(set), "pipeline", $"computed {set.Kpis.Count} KPI(s) (rows = result rows written)", null,
            KpiRow.From(set).Count(), clock.GetUtcNow(), $"{set.SourceDrops.Count} source drop(s); {KpiEngine.Version}"), cancellationToken);
        logger.LogInformation("KPIs of {Yot} for {Period} recomputed from {Drops} drop(s)", request.Yot, request.Period, set.SourceDrops.Count);
        return set;
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
                .Concat(set.Kpis.Select(k => k.Population).OfType<PopulationBasis>().Distinct().Select(p => $"population {p.Year} {p.Population} {p.Source}"))
                .Append(KpiEngine.Version)))))[..16];
}
