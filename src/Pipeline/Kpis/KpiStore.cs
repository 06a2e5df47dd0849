using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
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

    /// <summary>
    /// Stores a YOT and quarter's results computed at <see cref="KpiSet.Computation"/>: kpis.parquet, then the
    /// KpiResults rows, both stamped with it. Every write is conditional on what was read just before (the blob's ETag,
    /// each row's ETag), so a computation never overwrites a newer one, whatever the interleaving: a writer that finds a
    /// newer stamp stops. Rows are written in a fixed order, so the file is byte-identical for the same results.
    /// </summary>
    /// <param name="between">Called between the file and the rows (the fault-injection tests stop there).</param>
    /// <returns>False if a newer computation was already stored (nothing of this one was kept).</returns>
    public async Task<bool> WriteAsync(KpiSet set, CancellationToken cancellationToken, Func<CancellationToken, ValueTask>? between = null)
    {
        var rows = KpiRow.From(set).ToList();
        if (!await WriteParquetAsync(set, rows, cancellationToken)) return false;
        if (between is not null) await between(cancellationToken);
        return await WriteRowsAsync(set, rows, cancellationToken);
    }

    private const string ComputationMetadata = "computation";
    private const string Sha256Metadata = "sha256";

    private async Task<bool> WriteParquetAsync(KpiSet set, IReadOnlyList<KpiRow> rows, CancellationToken cancellationToken)
    {
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            await ParquetSerializer.SerializeAsync(rows, buffer, cancellationToken: cancellationToken);
            bytes = buffer.ToArray();
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var blob = storage.Container(StorageNames.KpisContainer).GetBlobClient(BlobName(set.Yot, set.Period));
        while (true)
        {
            BlobProperties? current = null;
            try
            {
                current = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
            var stored = current is not null && current.Metadata.TryGetValue(ComputationMetadata, out var c)
                && long.TryParse(c, CultureInfo.InvariantCulture, out var n) ? n : -1;
            if (stored > set.Computation) return false;
            if (stored == set.Computation && current!.Metadata.TryGetValue(Sha256Metadata, out var storedSha)
                && storedSha == sha) return true;
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions
                {
                    Metadata = new Dictionary<string, string>
                    {
                        [ComputationMetadata] = set.Computation.ToString(CultureInfo.InvariantCulture),
                        [Sha256Metadata] = sha,
                    },
                    Conditions = current is null ? new BlobRequestConditions { IfNoneMatch = ETag.All }
                        : new BlobRequestConditions { IfMatch = current.ETag },
                }, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another computation wrote the file since it was read: judge again against what it wrote.
            }
        }
    }

    private async Task<bool> WriteRowsAsync(KpiSet set, IReadOnlyList<KpiRow> rows, CancellationToken cancellationToken)
    {
        var partition = PartitionKey(set.Yot, set.Period);
        while (true)
        {
            var current = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey", Computation],
                cancellationToken: cancellationToken))
                current[e.RowKey] = e;
            if (current.Values.Any(e => (e.GetInt64(Computation) ?? 0) > set.Computation)) return false;

            var entities = rows.Select(r => new TableEntity(partition, $"{r.kpi_id}|{r.breakdown}|{r.group}")
            {
                ["KpiId"] = r.kpi_id, ["Breakdown"] = r.breakdown, ["Group"] = r.group,
                ["Numerator"] = r.numerator, ["Denominator"] = r.denominator, ["Value"] = r.value, ["Scale"] = r.scale,
                    ["Suppressed"] = r.suppressed,
                ["NumeratorUnit"] = r.numerator_unit, ["DenominatorUnit"] = r.denominator_unit, ["ValueUnit"] = r.value_unit,
                ["PopulationYear"] = r.population_year, ["PopulationSource"] = r.population_source,
                ["PeriodLabel"] = r.period_label, ["EngineVersion"] = r.engine_version, ["SourceDrops"] = r.source_drops,
                    [Computation] = r.computation,
            }).ToList();
            var keep = entities.Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
            // Each row replaced on the ETag it was read with, added only if absent, and groups that no longer exist (a
            // child moved out of the caseload) deleted on theirs: any row another writer touched meanwhile fails the
            // transaction, and the loop reads again.
            var actions = entities.Select(e => current.TryGetValue(e.RowKey, out var old)
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, e, old.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, e))
                .Concat(current.Values.Where(e => !keep.Contains(e.RowKey))
                    .Select(e => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, e.RowKey),
                        e.ETag)))
                .ToList();
            try
            {
                // In transactions of up to 100 rows of the partition (the service's limit): hundreds of rows per
                // quarter, one round trip each would make a recompute take seconds.
                foreach (var chunk in actions.Chunk(TransactionSize)) await _table.SubmitTransactionAsync(chunk, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
            }
        }
    }

    /// <summary>The table property carrying <see cref="KpiRow.computation"/>.</summary>
    public const string Computation = "Computation";

    private const int TransactionSize = 100;

    /// <summary>
    /// A YOT and quarter's stored results, from kpis.parquet: one blob, replaced whole, so a reader sees one computation
    /// and never a mix of two (the table's rows are replaced a hundred at a time). Null when none are stored.
    /// </summary>
    public async Task<KpiSet?> ReadAsync(string yot, string period, CancellationToken cancellationToken)
    {
        BinaryData content;
        try
        {
            content = (await storage.Container(StorageNames.KpisContainer).GetBlobClient(BlobName(yot, period))
                .DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        await using var stream = content.ToStream();
        var rows = (await ParquetSerializer.DeserializeAsync<KpiRow>(stream, cancellationToken: cancellationToken)).Data.ToList();
        return rows.Count == 0 ? null : KpiRow.ToSet(yot, period, rows);
    }

    /// <summary>Every quarter a YOT has stored results for, oldest first (one range query over its partitions).</summary>
    public async Task<IReadOnlyList<Quarter>> PeriodsAsync(string yot, CancellationToken cancellationToken)
    {
        var periods = new SortedSet<Quarter>();
        // '|' + 1 is '}': every key "{yot}|…" sorts between the two.
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {yot + "|"} and PartitionKey lt {yot + "}"}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
            if (e.PartitionKey.LastIndexOf('|') is var bar and >= 0 && e.PartitionKey[..bar] == yot
                && Quarter.TryParse(e.PartitionKey[(bar + 1)..], out var q))
                periods.Add(q);
        return [.. periods];
    }

    /// <summary>
    /// A YOT's results for the <paramref name="quarters"/> quarters ending with <paramref name="last"/>, oldest first.
    /// Quarters with no results are left out rather than shown as zeros: a board must not read "not computed" as "none".
    /// </summary>
    public async Task<IReadOnlyList<KpiSet>> TrendAsync(string yot, Quarter last, int quarters = 8,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarters, 1);
        var periods = new List<Quarter>();
        for (var (q, i) = (last, 0); i < quarters; q = q.Previous(), i++) periods.Insert(0, q);
        var sets = await Task.WhenAll(periods.Select(q => ReadAsync(yot, q.ToString(), cancellationToken)));
        return sets.OfType<KpiSet>().ToList();
    }
}
