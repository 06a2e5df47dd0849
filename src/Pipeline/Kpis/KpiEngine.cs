using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>Computes a YOT's KPI results for a quarter from curated data. Deterministic: same inputs, same results.</summary>
public sealed class KpiEngine(PipelineStorage storage, IOptions<KpiOptions> options)
{
    public const string Version = "kpi-engine/2026.12.1";

    /// <summary>A YOT area's population estimates (table Population), read directly so the engine needs nothing else wired.</summary>
    public static async Task<AreaPopulations> PopulationsAsync(PipelineStorage storage, string yot, CancellationToken cancellationToken)
    {
        var estimates = new List<AreaPopulation>();
        await foreach (var e in storage.Table(StorageNames.PopulationTable)
            .QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == yot, cancellationToken: cancellationToken))
            estimates.Add(new AreaPopulation(yot, int.Parse(e.RowKey, System.Globalization.CultureInfo.InvariantCulture),
                e.GetInt64("Population") ?? 0, e.GetString("Source") ?? ""));
        return new AreaPopulations(estimates);
    }

    public async Task<KpiSet> ComputeAsync(string yot, Quarter quarter, CancellationToken cancellationToken) =>
        await ComputeAsync(yot, quarter, await LoadAsync(yot, cancellationToken), cancellationToken);

    /// <summary>Everything the engine reads about a YOT; load once to compute several quarters.</summary>
    public Task<YotData> LoadAsync(string yot, CancellationToken cancellationToken) =>
        YotData.LoadAsync(storage, yot, cancellationToken, options.Value.CurrentView);

    public async Task<KpiSet> ComputeAsync(string yot, Quarter quarter, YotData data, CancellationToken cancellationToken)
    {
        var context = new KpiContext(storage, yot, quarter, data, options.Value, await PopulationsAsync(storage, yot, cancellationToken));
        var results = new List<KpiResult>();
        foreach (var family in KpiCatalogue.Families) results.AddRange(await family.ComputeAsync(context, cancellationToken));
        return new KpiSet
        {
            Yot = yot,
            Period = quarter.ToString(),
            PeriodLabel = quarter.FinancialYearLabel,
            EngineVersion = Version,
            SourceDrops = results.SelectMany(r => r.SourceDrops).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Kpis = results,
        };
    }
}
