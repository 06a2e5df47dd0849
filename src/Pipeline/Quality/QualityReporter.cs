using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Quality;

/// <summary>
/// Builds and stores the data-quality report of a provider for a quarter (<see cref="QualityReport"/>) from the
/// <c>Drops</c> ledger, the receipts (<c>receipts/{provider}/{dropId}.json</c>) and the provider's agreements.
/// Reads no curated data and no row content. Stored at <c>reports/quality/{provider}/{period}.json</c>.
/// <para>
/// The receipts are not read back one by one: as each drop commits, <see cref="RecordAsync"/> adds what the report
/// needs of its receipt to the quarter's tally (<c>reports/quality-drops/{provider}/{period}.json</c>, one entry per
/// drop id, so a re-delivered drop replaces its own entry and never counts twice; written conditionally on its ETag,
/// so two drops committing at once both land). A report reads the tally, and only the receipts of drops the tally
/// lacks (one still being processed, or committed before the tally existed): the same figures as reading every
/// receipt, at the cost of one blob whatever the number of drops in the quarter.
/// </para>
/// </summary>
public sealed class QualityReporter(PipelineStorage storage, AgreementStore agreements, DropLedger ledger, TimeProvider clock)
{
    private static readonly SchemaCatalogue Catalogue = SchemaCatalogue.Default;

    /// <summary>Blob name of a report within the <c>reports</c> container.</summary>
    public static string BlobName(string provider, Quarter period) => $"quality/{provider}/{period}.json";

    /// <summary>The quarter a drop counts in: that of its <c>receivedAt</c>, as a UTC day (as the agreement gate reads it).</summary>
    public static Quarter PeriodOf(DateTimeOffset receivedAt) => Quarter.Of(DateOnly.FromDateTime(receivedAt.UtcDateTime));

    /// <summary>The quarter containing today (UTC), per the injected clock.</summary>
    public Quarter CurrentPeriod() => PeriodOf(clock.GetUtcNow());

    /// <summary>Blob name of a quarter's tally (what each drop's receipt adds to the report) within the <c>reports</c> container.</summary>
    public static string TallyBlobName(string provider, Quarter period) => $"quality-drops/{provider}/{period}.json";

    /// <summary>Builds the report, stores it and returns it: what <c>pipeline quality</c> calls.</summary>
    public async Task<QualityReport> RefreshAsync(string provider, Quarter period, CancellationToken cancellationToken)
    {
        while (true)
        {
            var tally = await ReadTallyAsync(provider, period, cancellationToken);
            var report = await BuildAsync(provider, period, tally.Receipts, cancellationToken);
            await WriteAsync(report, cancellationToken);
            // A drop recorded meanwhile may have written its report before this one: write again from its tally.
            if (await TallyETagAsync(provider, period, cancellationToken) == tally.ETag) return report;
        }
    }

    /// <summary>
    /// What the ingest path calls once a drop is committed: its receipt added to the quarter's tally (replacing the
    /// drop's own earlier entry, if any), then the report refreshed.
    /// </summary>
    public async Task<QualityReport> RecordAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        var period = PeriodOf(receipt.ReceivedAt);
        var blob = storage.Container(StorageNames.ReportsContainer).GetBlobClient(TallyBlobName(receipt.Provider, period));
        while (true)
        {
            var tally = await ReadTallyAsync(receipt.Provider, period, cancellationToken);
            var receipts = new SortedDictionary<string, Receipt>(tally.Receipts.ToDictionary(),
                StringComparer.Ordinal) { [receipt.DropId] = Trimmed(receipt) };
            try
            {
                await blob.UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(receipts.Values, ReceiptJson.Options)),
                    new BlobUploadOptions
                {
                    Conditions = tally.ETag is { } etag ? new BlobRequestConditions { IfMatch = etag }
                        : new BlobRequestConditions { IfNoneMatch = ETag.All },
                }, cancellationToken);
                break;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another drop of the quarter was recorded meanwhile: add this one to what it wrote.
            }
        }
        return await RefreshAsync(receipt.Provider, period, cancellationToken);
    }

    /// <summary>
    /// What the report uses of a receipt: all of it but the error list, of which only the first error of each rule (its
    /// severity as reported) and the first without a line (a refusal) are kept.
    /// </summary>
    private static Receipt Trimmed(Receipt receipt)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var lineless = false;
        var kept = new List<RowError>();
        foreach (var e in receipt.Errors)
        {
            var first = rules.Add(e.Rule);
            var firstLineless = e.Line is null && !lineless;
            lineless |= e.Line is null;
            if (first || firstLineless) kept.Add(e);
        }
        return receipt with { Errors = kept };
    }

    private sealed record Tally(IReadOnlyDictionary<string, Receipt> Receipts, ETag? ETag);

    private async Task<Tally> ReadTallyAsync(string provider, Quarter period, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.Container(StorageNames.ReportsContainer).GetBlobClient(TallyBlobName(provider, period))
                .DownloadContentAsync(cancellationToken);
            Hosting.PipelineMetrics.BlobRead(StorageNames.ReportsContainer);
            var receipts = JsonSerializer.Deserialize<List<Receipt>>(content.Value.Content.ToString(), ReceiptJson.Options) ?? [];
            return new Tally(receipts.ToDictionary(r => r.DropId, StringComparer.Ordinal), content.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new Tally(new Dictionary<string, Receipt>(), null);
        }
    }

    private async Task<ETag?> TallyETagAsync(string provider, Quarter period, CancellationToken cancellationToken)
    {
        try
        {
            return (await storage.Container(StorageNames.ReportsContainer).GetBlobClient(TallyBlobName(provider, period))
                .GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores the report at <c>reports/quality/{provider}/{period}.json</c> (overwriting) and returns the blob name.</summary>
    public async Task<string> WriteAsync(QualityReport report, CancellationToken cancellationToken)
    {
        var name = BlobName(report.Provider, Quarter.Parse(report.Period));
        await storage.Container(StorageNames.ReportsContainer).GetBlobClient(name)
            .UploadAsync(BinaryData.FromString(QualityReportJson.Serialize(report)), overwrite: true, cancellationToken);
        return name;
    }

    /// <summary>The report from the quarter's tally and the receipts it lacks.</summary>
    /// <exception cref="UnknownProviderException">The provider has no agreement and no drop in the ledger.</exception>
    public async Task<QualityReport> BuildAsync(string provider, Quarter period, CancellationToken cancellationToken) =>
        await BuildAsync(provider, period, (await ReadTallyAsync(provider, period, cancellationToken)).Receipts, cancellationToken);

    /// <summary>The report from every receipt of the quarter read again, ignoring the tally: what the tally must always equal.</summary>
    public Task<QualityReport> RebuildFromReceiptsAsync(string provider, Quarter period, CancellationToken cancellationToken) =>
        BuildAsync(provider, period, new Dictionary<string, Receipt>(), cancellationToken);

    /// <param name="tally">Receipts already known, by drop id; the others are read.</param>
    private async Task<QualityReport> BuildAsync(string provider, Quarter period, IReadOnlyDictionary<string, Receipt> tally,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(provider) || provider.Contains('/'))
            throw new ArgumentException($"'{provider}' is not a provider id.", nameof(provider));

        var generatedAt = clock.GetUtcNow().ToUniversalTime();
        var all = await agreements.ForProviderAsync(provider, cancellationToken);
        var rows = await ledger.ForProviderAsync(provider, cancellationToken);
        if (all.Count == 0 && rows.Count == 0) throw new UnknownProviderException(provider);

        var inForce = all.Where(a => a.ValidFrom <= period.End && a.ValidTo >= period.Start)
            .OrderByDescending(a => a.ValidTo).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
        var primary = inForce.FirstOrDefault() ?? all.OrderByDescending(a => a.ValidTo).ThenBy(a => a.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        var covered = new SortedSet<string>(inForce.SelectMany(a => a.DropTypes.Select(d => d.DropType)), StringComparer.Ordinal);

        var drops = new List<(DropSummary Summary, Receipt? Receipt)>();
        foreach (var row in rows)
        {
            if (ReceivedAt(row) is not { } receivedAt || !period.Contains(DateOnly.FromDateTime(receivedAt.UtcDateTime))) continue;
            // A drop still being processed (or committed again since it was tallied) is read as it stands now.
            var receipt = tally.TryGetValue(row.RowKey, out var known) && DropLedger.IsCommitted(row)
                && known.Status == row.GetString("Status")
                ? known
                : await ReadReceiptAsync(provider, row.RowKey, cancellationToken);
            drops.Add((Summarise(row, receivedAt, receipt), receipt));
        }
        drops.Sort((a, b) => a.Summary.ReceivedAt != b.Summary.ReceivedAt
            ? a.Summary.ReceivedAt.CompareTo(b.Summary.ReceivedAt)
            : string.CompareOrdinal(a.Summary.DropId, b.Summary.DropId));

        var types = new SortedSet<string>(covered, StringComparer.Ordinal);
        types.UnionWith(drops.Select(d => d.Summary.DropType));
        var perType = types.Select(t => ForDropType(t, covered.Contains(t), drops.Where(d => d.Summary.DropType == t).ToList())).ToList();

        return new QualityReport
        {
            Provider = provider,
            ProviderName = primary?.Provider.Name,
            ProviderKind = primary?.Provider.Kind,
            Yot = primary?.Yot ?? rows.Select(r => r.GetString("Yot")).FirstOrDefault(y => !string.IsNullOrEmpty(y)),
            Period = period.ToString(),
            PeriodLabel = period.FinancialYearLabel,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
            GeneratedAt = generatedAt,
            Agreements = inForce.OrderBy(a => a.Id, StringComparer.Ordinal)
                .Select(a => new QualityAgreement(a.Id, a.Yot, a.ValidFrom, a.ValidTo, a.DropTypes.Select(d => d.DropType)
                    .Order(StringComparer.Ordinal).ToList()))
                .ToList(),
            Timeliness = Timeliness(rows, generatedAt),
            Missing = perType.Where(t => t.Covered && t.State == QualityStates.Missing).Select(t => t.DropType).ToList(),
            RefusedOnly = perType.Where(t => t.Covered && t.State == QualityStates.RefusedOnly).Select(t => t.DropType).ToList(),
            Totals = new QualityTotals
            {
                DropsReceived = drops.Count,
                DropsAccepted = drops.Count(d => IsAccepted(d.Summary.Status)),
                DropsRefused = drops.Count(d => d.Summary.Status == ReceiptStatus.Rejected),
                Rows = drops.Select(d => d.Summary.Rows).Sum(),
            },
            DropTypes = perType,
            Drops = drops.Select(d => d.Summary).ToList(),
        };
    }

    private static DropTypeQuality ForDropType(string dropType, bool covered, IReadOnlyList<(DropSummary Summary, Receipt? Receipt)> drops)
    {
        var accepted = drops.Where(d => IsAccepted(d.Summary.Status)).ToList();

        // Severity as the receipts reported it, else as the catalogue or the schema defines it.
        var observed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in drops.SelectMany(d => d.Receipt?.Errors ?? []))
            observed.TryAdd(e.Rule, e.Severity == RuleSeverity.Error ? "error" : "query");

        var findings = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var refusals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (summary, receipt) in drops)
        {
            if (summary.RefusedBy is { } refusedBy) refusals[refusedBy] = refusals.GetValueOrDefault(refusedBy) + 1;
            if (receipt is null) continue;
            foreach (var (rule, count) in receipt.ErrorCounts)
            {
                // The refusal itself is counted once in errorCounts; it is a drop refusal, not a row finding.
                var n = rule == summary.RefusedBy ? count - 1 : count;
                if (n > 0) findings[rule] = findings.GetValueOrDefault(rule) + n;
            }
        }

        // Completeness weighted by accepted rows, over the accepted drops that carried the column.
        var weighted = new SortedDictionary<string, (double Filled, long Base)>(StringComparer.Ordinal);
        foreach (var (summary, receipt) in accepted)
        {
            if (receipt is null) continue;
            foreach (var (column, share) in receipt.Completeness)
            {
                var (filled, basis) = weighted.GetValueOrDefault(column);
                weighted[column] = (filled + share * summary.Rows.Accepted, basis + summary.Rows.Accepted);
            }
        }
        var absent = accepted.Count > 0 && Catalogue.TryGet(dropType, out var schema)
            ? schema.Fields.Where(f => !f.Required && !weighted.ContainsKey(f.Name)).Select(f => f.Name).Order(StringComparer.Ordinal)
                .ToList()
            : [];

        var linkedBy = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (_, receipt) in accepted)
            foreach (var (key, n) in receipt?.LinkedBy ?? new Dictionary<string, long>())
                linkedBy[key] = linkedBy.GetValueOrDefault(key) + n;
        var linked = linkedBy.Values.Sum();
        var outOfCohort = accepted.Sum(d => d.Summary.Rows.OutOfCohort);

        return new DropTypeQuality
        {
            DropType = dropType,
            Covered = covered,
            State = accepted.Count > 0 ? QualityStates.Received : drops.Count > 0 ? QualityStates.RefusedOnly : QualityStates.Missing,
            LastReceivedAt = drops.Count > 0 ? drops.Max(d => d.Summary.ReceivedAt) : null,
            DropsReceived = drops.Count,
            DropsAccepted = accepted.Count,
            DropsRefused = drops.Count(d => d.Summary.Status == ReceiptStatus.Rejected),
            Rows = drops.Select(d => d.Summary.Rows).Sum(),
            ErrorsByRule = Ranked(findings, rule => observed.TryGetValue(rule, out var s) ? s : SeverityOf(rule, dropType)),
            DropRefusalsByRule = Ranked(refusals, _ => "error"),
            Completeness = weighted.Select(kv => new ColumnCompleteness(kv.Key,
                kv.Value.Base == 0 ? null : Math.Round(kv.Value.Filled / kv.Value.Base, 4), kv.Value.Base)).ToList(),
            OptionalColumnsAbsent = absent,
            Linkage = new LinkageQuality
            {
                Linked = linked,
                OutOfCohort = outOfCohort,
                LinkRate = linked + outOfCohort == 0 ? null : Math.Round((double)linked / (linked + outOfCohort), 4),
                LinkedBy = linkedBy,
            },
        };
    }

    private static IReadOnlyList<RuleCount> Ranked(IReadOnlyDictionary<string, long> counts, Func<string, string?> severity) =>
        counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new RuleCount(kv.Key, severity(kv.Key), kv.Value)).ToList();

    /// <summary>A rule's severity from the catalogue, else from the drop type's schema (cross-row rules and code-list/range rule
    /// names).</summary>
    private static string? SeverityOf(string rule, string dropType)
    {
        if (RuleCatalogue.All.FirstOrDefault(r => r.Code == rule) is { } known)
            return known.Severity == RuleSeverity.Error ? "error" : "query";
        if (!Catalogue.TryGet(dropType, out var schema)) return null;
        if (schema.Rules.FirstOrDefault(r => r.Rule == rule) is { } cross) return cross.Severity;
        if (schema.Fields.FirstOrDefault(f => f.CodeRule == rule) is { } coded) return coded.CodeRuleSeverity == RuleSeverity.Error
            ? "error" : "query";
        return schema.Fields.Any(f => f.RangeRule == rule) ? "error" : null;
    }

    private static bool IsDropRule(string rule) => RuleCatalogue.All.Any(r => r.Code == rule && r.Scope == RuleScope.Drop);

    private static bool IsAccepted(string status) => status is ReceiptStatus.Accepted or ReceiptStatus.AcceptedWithErrors;

    private static DropSummary Summarise(TableEntity row, DateTimeOffset receivedAt, Receipt? receipt)
    {
        var status = row.GetString("Status") ?? DropLedger.Processing;
        if (receipt is not null && status != DropLedger.Processing)
            return new DropSummary
            {
                DropId = row.RowKey,
                DropType = receipt.DropType,
                ReceivedAt = receipt.ReceivedAt.ToUniversalTime(),
                Status = status,
                RefusedBy = status == ReceiptStatus.Rejected ? RefusalOf(receipt) : null,
                Rows = receipt.Rows,
            };
        // No receipt (yet): the ledger's own counts, which carry no held rows.
        return new DropSummary
        {
            DropId = row.RowKey,
            DropType = row.GetString("DropType") ?? "",
            ReceivedAt = receivedAt,
            Status = status,
            Rows = DropLedger.CountsOf(row) ?? default,
        };
    }

    /// <summary>The rule that refused a drop: the receipt lists the refusal first among its errors.</summary>
    private static string? RefusalOf(Receipt receipt) =>
        receipt.Errors.FirstOrDefault(e => IsDropRule(e.Rule))?.Rule
        ?? receipt.Errors.FirstOrDefault(e => e.Line is null)?.Rule
        ?? receipt.ErrorCounts.Keys.FirstOrDefault(IsDropRule);

    private static QualityTimeliness Timeliness(IReadOnlyList<TableEntity> rows, DateTimeOffset generatedAt)
    {
        var all = rows.Select(r => (At: ReceivedAt(r), Status: r.GetString("Status"))).Where(r => r.At is not null).ToList();
        var last = all.Count == 0 ? null : all.Max(r => r.At);
        var accepted = all.Where(r => r.Status is { } s && IsAccepted(s)).Select(r => r.At).ToList();
        var lastAccepted = accepted.Count == 0 ? null : accepted.Max();
        return new QualityTimeliness
        {
            LastDropAt = last,
            DaysSinceLastDrop = DaysBetween(last, generatedAt),
            LastAcceptedDropAt = lastAccepted,
            DaysSinceLastAcceptedDrop = DaysBetween(lastAccepted, generatedAt),
        };
    }

    private static int? DaysBetween(DateTimeOffset? from, DateTimeOffset to) =>
        from is { } f ? Math.Max(0, (int)Math.Floor((to - f).TotalDays)) : null;

    private static DateTimeOffset? ReceivedAt(TableEntity row) => row.GetDateTimeOffset("ReceivedAt")?.ToUniversalTime();

    private async Task<Receipt?> ReadReceiptAsync(string provider, string dropId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.Container(StorageNames.ReceiptsContainer)
                .GetBlobClient(DropLedger.ReceiptBlobName(provider, dropId))
                .DownloadContentAsync(cancellationToken);
            Hosting.PipelineMetrics.BlobRead(StorageNames.ReceiptsContainer);
            return ReceiptJson.Deserialize(content.Value.Content.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}

/// <summary>The report as JSON: camelCase, indented, every property written (nulls included), as receipts are.</summary>
public static class QualityReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = RowCountsJson.Resolver,
    };

    public static string Serialize(QualityReport report) => JsonSerializer.Serialize(report, Options);

    public static QualityReport Deserialize(string json) => JsonSerializer.Deserialize<QualityReport>(json, Options)!;
}
