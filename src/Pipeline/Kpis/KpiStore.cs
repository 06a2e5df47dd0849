using Azure;
using Azure.Data.Tables;
using Parquet.Serialization;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// Where KPI results live: the <c>KpiResults</c> table (PartitionKey <c>{yot}|{period}</c>, RowKey
/// <c>{kpiId}|{breakdown}|{group}</c>) and kpis/yot={yot}/period={period}/kpis.parquet.
/// </summary>
public sealed class KpiStore(PipelineStorage storage)
{
    private readonly TableClient _table = storage.Table(StorageNames.KpiResultsTable);

    public static string BlobName(string yot, string period) => $"yot={yot}/period={period}/kpis.parquet";
    public static string PartitionKey(string yot, string period) => $"{yot}|{period}";

    /// <summary>Replaces a YOT and quarter's results. Rows are written in a fixed order, so the file is byte-identical for the same results.</summary>
    public async Task WriteAsync(KpiSet set, CancellationToken cancellationToken)
    {
        var rows = KpiRow.From(set).ToList();
        using (var buffer = new MemoryStream())
        {
            await ParquetSerializer.SerializeAsync(rows, buffer, cancellationToken: cancellationToken);
            buffer.Position = 0;
            await storage.Container(StorageNames.KpisContainer).GetBlobClient(BlobName(set.Yot, set.Period)).UploadAsync(buffer, overwrite: true, cancellationToken);
        }

        var partition = PartitionKey(set.Yot, set.Period);
        var entities = rows.Select(r => new TableEntity(partition, $"{r.kpi_id}|{r.breakdown}|{r.group}")
        {
            ["KpiId"] = r.kpi_id, ["Breakdown"] = r.breakdown, ["Group"] = r.group,
            ["Numerator"] = r.numerator, ["Denominator"] = r.denominator, ["Value"] = r.value, ["Scale"] = r.scale, ["Suppressed"] = r.suppressed,
            ["NumeratorUnit"] = r.numerator_unit, ["DenominatorUnit"] = r.denominator_unit, ["ValueUnit"] = r.value_unit,
            ["PopulationYear"] = r.population_year, ["PopulationSource"] = r.population_source,
            ["PeriodLabel"] = r.period_label, ["EngineVersion"] = r.engine_version, ["SourceDrops"] = r.source_drops,
        }).ToList();
        // In transactions of up to 100 rows of the partition (the service's limit): hundreds of rows per quarter, one
        // round trip each would make a recompute take seconds.
        foreach (var chunk in entities.Chunk(TransactionSize))
            await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);

        // Groups that no longer exist (a child moved out of the caseload) must not linger.
        var keep = entities.Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
        var stale = new List<string>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"], cancellationToken: cancellationToken))
            if (!keep.Contains(e.RowKey)) stale.Add(e.RowKey);
        foreach (var chunk in stale.Chunk(TransactionSize))
        {
            try
            {
                await _table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k))), cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                foreach (var k in chunk) await DeleteIfThereAsync(partition, k, cancellationToken);
            }
        }
    }

    private const int TransactionSize = 100;

    // A recompute running at the same time for the same YOT and quarter may have deleted it first.
    private async Task DeleteIfThereAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(partition, rowKey, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    public async Task<KpiSet?> ReadAsync(string yot, string period, CancellationToken cancellationToken)
    {
        var rows = new List<KpiRow>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == PartitionKey(yot, period), cancellationToken: cancellationToken))
            rows.Add(RowOf(yot, period, e));
        return rows.Count == 0 ? null : KpiRow.ToSet(yot, period, rows);
    }

    /// <summary>Every quarter a YOT has stored results for, oldest first (one range query over its partitions).</summary>
    public async Task<IReadOnlyList<Quarter>> PeriodsAsync(string yot, CancellationToken cancellationToken)
    {
        var periods = new SortedSet<Quarter>();
        // '|' + 1 is '}': every key "{yot}|…" sorts between the two.
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {yot + "|"} and PartitionKey lt {yot + "}"}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
            if (e.PartitionKey.LastIndexOf('|') is var bar and >= 0 && e.PartitionKey[..bar] == yot && Quarter.TryParse(e.PartitionKey[(bar + 1)..], out var q))
                periods.Add(q);
        return [.. periods];
    }

    /// <summary>
    /// A YOT's results for the <paramref name="quarters"/> quarters ending with <paramref name="last"/>, oldest first, in
    /// one range query over the partitions <c>{yot}|{period}</c> ("YYYY-Qn" sorts as time does). Quarters with no
    /// results are left out rather than shown as zeros: a board must not read "not computed" as "none".
    /// </summary>
    public async Task<IReadOnlyList<KpiSet>> TrendAsync(string yot, Quarter last, int quarters = 8, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarters, 1);
        var first = last;
        for (var i = 1; i < quarters; i++) first = first.Previous();
        var from = PartitionKey(yot, first.ToString());
        var to = PartitionKey(yot, last.ToString());
        var byPeriod = new SortedDictionary<Quarter, List<KpiRow>>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey le {to}"),
                           cancellationToken: cancellationToken))
        {
            // Only this YOT's partitions: the key is exactly "{yot}|YYYY-Qn" with the quarter inside the window.
            var bar = e.PartitionKey.LastIndexOf('|');
            if (bar < 0 || e.PartitionKey[..bar] != yot || !Quarter.TryParse(e.PartitionKey[(bar + 1)..], out var q) || q < first || q > last) continue;
            if (!byPeriod.TryGetValue(q, out var rows)) byPeriod[q] = rows = [];
            rows.Add(RowOf(yot, q.ToString(), e));
        }
        return byPeriod.Select(p => KpiRow.ToSet(yot, p.Key.ToString(), p.Value)).ToList();
    }

    /// <summary>A figure as stored: a number (hours may have a fraction); rows written before that hold whole numbers.</summary>
    private static double? Figure(TableEntity e, string key) =>
        e.TryGetValue(key, out var v) && v is not null ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static KpiRow RowOf(string yot, string period, TableEntity e) => new()
    {
        yot = yot, period = period, kpi_id = e.GetString("KpiId"), breakdown = e.GetString("Breakdown"), group = e.GetString("Group"),
        numerator = Figure(e, "Numerator"), denominator = Figure(e, "Denominator"), value = e.GetDouble("Value"),
        numerator_unit = e.GetString("NumeratorUnit") ?? "", denominator_unit = e.GetString("DenominatorUnit") ?? "", value_unit = e.GetString("ValueUnit") ?? "",
        population_year = e.GetInt32("PopulationYear"), population_source = e.GetString("PopulationSource"),
        scale = e.GetDouble("Scale") ?? 1, suppressed = e.GetBoolean("Suppressed") ?? false, period_label = e.GetString("PeriodLabel") ?? "",
        engine_version = e.GetString("EngineVersion") ?? "", source_drops = e.GetString("SourceDrops") ?? "",
    };
}
