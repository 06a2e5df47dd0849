using Azure;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Linkage;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// Entry point of the <c>IngestDrop</c> stage: one uploaded blob at drops/{provider}/{dropType}/{name} through the
/// gate to curated storage, with its receipt, ledger row, audit rows and KPI recompute requests. Safe to run
/// twice for the same blob (blob triggers are at-least-once): the second run answers <c>duplicate</c> and writes nothing.
/// </summary>
public sealed class DropIngestor(
    PipelineStorage storage,
    AgreementStore agreements,
    DropLedger ledger,
    AuditLog audit,
    Pseudonymiser pseudonymiser,
    QualityReporter quality,
    TimeProvider clock,
    ILogger<DropIngestor> logger)
{
    private readonly SchemaCatalogue _catalogue = SchemaCatalogue.Default;

    /// <summary>Processes the upload at <paramref name="blobName"/> (within the drops container).</summary>
    public async Task<Receipt> IngestAsync(string blobName, CancellationToken cancellationToken)
    {
        await pseudonymiser.VerifyAsync(cancellationToken);
        var (provider, dropType) = ParsePath(blobName);
        var blob = storage.Container(StorageNames.DropsContainer).GetBlobClient(blobName);
        BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        // Last-modified, not created: a provider overwriting a file with a corrected version sends a new drop.
        var receivedAt = properties.LastModified;
        var dropId = await HashAsync(blob, cancellationToken);

        if (await ledger.FindAsync(provider, dropId, cancellationToken) is { } existing && DropLedger.IsFinal(existing))
        {
            logger.LogInformation("Drop {DropId} from {Provider} was already processed; answering duplicate", dropId, provider);
            return await DuplicateReceiptAsync(provider, dropId, cancellationToken);
        }

        await ledger.ClaimAsync(provider, dropId, dropType, blobName, receivedAt, cancellationToken);
        logger.LogInformation("Processing drop {DropId} from {Provider} of type {DropType}", dropId, provider, dropType);

        if (!_catalogue.TryGet(dropType, out var schema))
            return await RejectAsync(blob, dropId, provider, dropType, null, receivedAt,
                new RowError(null, null, RuleCatalogue.DropTypeUnknown.Code, RuleSeverity.Error,
                    $"'{dropType}' is not a drop type. Known types: {string.Join(", ", _catalogue.DropTypes)}."), null, cancellationToken);

        var decision = AgreementGate.Check(await agreements.ForProviderAsync(provider, cancellationToken), provider, dropType, DateOnly.FromDateTime(receivedAt.UtcDateTime));
        if (!decision.Allowed)
            return await RejectAsync(blob, dropId, provider, dropType, null, receivedAt,
                new RowError(null, null, decision.Refusal!.Code, RuleSeverity.Error, decision.Message!), null, cancellationToken);

        var agreement = decision.Agreement!;
        var context = new DropContext(dropId, provider, dropType, schema, agreement, agreement.Covering(dropType)!, receivedAt, pseudonymiser);
        await audit.AppendAsync(new AuditEntry(Subject(dropId), "1-gate", provider, $"accepted under agreement for {dropType}", agreement.Id, 0, clock.GetUtcNow()), cancellationToken);

        var cohort = schema.Linkage == Linkages.None || dropType == CohortIndex.ChildrenDropType
            ? CohortIndex.Empty
            : await CohortIndex.LoadAsync(storage, agreement.Yot, schema, cancellationToken);
        await using var outcome = await ProcessAsync(blob, context, cohort, cancellationToken);
        if (outcome.Refused)
            return await RejectAsync(blob, dropId, provider, dropType, agreement, receivedAt, outcome.Refusal!, outcome, cancellationToken);

        return await AcceptAsync(blobName, context, outcome, cancellationToken);
    }

    private async Task<DropOutcome> ProcessAsync(BlobClient blob, DropContext context, ICohort cohort, CancellationToken cancellationToken)
    {
        await using var content = await OpenAsync(blob, cancellationToken);
        return await new DropProcessor(_catalogue).ProcessAsync(content, context, cohort, cancellationToken);
    }

    private async Task<Receipt> AcceptAsync(string blobName, DropContext context, DropOutcome outcome, CancellationToken cancellationToken)
    {
        var curated = storage.Container(StorageNames.CuratedContainer);
        var written = new List<string>();
        foreach (var file in outcome.Files.OrderBy(f => f.Period))
        {
            var name = CuratedLayout.BlobName(context.DropType, context.Yot, file.Period, context.DropId);
            var content = await file.CompleteAsync(cancellationToken);
            await curated.GetBlobClient(name).UploadAsync(content, overwrite: true, cancellationToken);
            written.Add(name);
        }
        if (outcome.Errors.Total > 0) await WriteErrorReportAsync(context.Provider, context.DropId, outcome.Errors, cancellationToken);

        var receipt = BuildReceipt(context.DropId, context.Provider, context.DropType, context.Agreement.Id, context.ReceivedAt, outcome,
            outcome.Errors.Total > 0 ? ReceiptStatus.AcceptedWithErrors : ReceiptStatus.Accepted);
        await WriteReceiptAsync(receipt, cancellationToken);

        // Recompute requests go before the ledger marks the drop done: a crash in between retries the drop and
        // asks again, where the other order could lose the request.
        var periods = await PeriodsTouchedAsync(context, outcome, cancellationToken);
        var queue = storage.Queue(StorageNames.KpiRecomputeQueue);
        foreach (var period in periods)
            await queue.SendMessageAsync(new KpiRecomputeRequest(context.Yot, period.ToString()).ToJson(), cancellationToken);

        var now = clock.GetUtcNow();
        var subject = Subject(context.DropId);
        await audit.AppendAsync(new AuditEntry(subject, "2-validate", context.Provider, "validated against the drop schema", context.Agreement.Id, outcome.RowsRead, now,
            $"{outcome.RowsRejected} rows refused; catalogue {RuleCatalogue.Version}"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, "3-minimise", context.Provider, "removed columns the agreement does not cover", context.Agreement.Id, outcome.RowsRead, now,
            outcome.FieldsNotShared.Count == 0 ? "none removed" : $"{outcome.FieldsNotShared.Count} column(s) removed"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, "4-link", context.Provider, "pseudonymised and linked to the YOT cohort", context.Agreement.Id, outcome.RowsAccepted, now,
            $"{outcome.RowsOutOfCohort} out-of-cohort rows discarded; key {pseudonymiser.KeyVersion}"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, "5-curate", context.Provider, $"wrote {written.Count} curated file(s)", context.Agreement.Id, outcome.RowsAccepted, now,
            string.Join(";", written)), cancellationToken);
        await ledger.CompleteAsync(receipt, blobName, context.Yot, written, cancellationToken);
        await RefreshQualityAsync(receipt, cancellationToken);
        logger.LogInformation("Drop {DropId} {Status}: {Accepted} of {Read} rows accepted, {OutOfCohort} out of cohort",
            context.DropId, receipt.Status, receipt.RowsAccepted, receipt.RowsRead, receipt.RowsOutOfCohort);
        return receipt;
    }

    private async Task<Receipt> RejectAsync(BlobClient blob, string dropId, string provider, string dropType, Agreement? agreement,
        DateTimeOffset receivedAt, RowError refusal, DropOutcome? outcome, CancellationToken cancellationToken)
    {
        var quarantine = storage.Container(StorageNames.QuarantineContainer);
        await quarantine.GetBlobClient($"{dropId}/{Path.GetFileName(blob.Name)}").SyncCopyFromUriAsync(blob.Uri, cancellationToken: cancellationToken);

        var errors = outcome?.Errors;
        var receipt = BuildReceipt(dropId, provider, dropType, agreement?.Id, receivedAt, outcome, ReceiptStatus.Rejected, refusal);
        await quarantine.GetBlobClient($"{dropId}/report.json").UploadAsync(BinaryData.FromString(ReceiptJson.Serialize(receipt)), overwrite: true, cancellationToken);
        if (errors is { Total: > 0 }) await WriteErrorReportAsync(provider, dropId, errors, cancellationToken);
        await WriteReceiptAsync(receipt, cancellationToken);

        await audit.AppendAsync(new AuditEntry(Subject(dropId), "1-gate", provider, $"refused: {refusal.Rule}", agreement?.Id, receipt.RowsRead, clock.GetUtcNow()), cancellationToken);
        await ledger.CompleteAsync(receipt, blob.Name, agreement?.Yot ?? "", [], cancellationToken);
        await RefreshQualityAsync(receipt, cancellationToken);
        logger.LogWarning("Drop {DropId} from {Provider} refused by rule {Rule}", dropId, provider, refusal.Rule);
        return receipt;
    }

    private Receipt BuildReceipt(string dropId, string provider, string dropType, string? agreement, DateTimeOffset receivedAt,
        DropOutcome? outcome, string status, RowError? refusal = null)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var errors = new List<RowError>();
        if (refusal is not null)
        {
            counts[refusal.Rule] = 1;
            errors.Add(refusal);
        }
        if (outcome is not null)
        {
            foreach (var (rule, n) in outcome.Errors.Counts) counts[rule] = counts.GetValueOrDefault(rule) + n;
            errors.AddRange(outcome.Errors.First);
        }
        return new Receipt
        {
            DropId = dropId,
            Provider = provider,
            DropType = dropType,
            Agreement = agreement,
            Status = status,
            RowsRead = outcome?.RowsRead ?? 0,
            // A refused drop keeps nothing, whatever its rows looked like.
            RowsAccepted = status == ReceiptStatus.Rejected ? 0 : outcome?.RowsAccepted ?? 0,
            RowsRejected = status == ReceiptStatus.Rejected ? outcome?.RowsRead ?? 0 : outcome?.RowsRejected ?? 0,
            RowsOutOfCohort = status == ReceiptStatus.Rejected ? 0 : outcome?.RowsOutOfCohort ?? 0,
            RowsHeld = status == ReceiptStatus.Rejected ? 0 : outcome?.RowsHeld ?? 0,
            LinkedBy = status == ReceiptStatus.Rejected || outcome is null ? new SortedDictionary<string, long>() : outcome.LinkedBy,
            Completeness = status == ReceiptStatus.Rejected || outcome is null ? new SortedDictionary<string, double>() : outcome.Completeness,
            RulesRun = outcome?.RulesRun ?? [],
            RulesSkipped = outcome?.RulesSkipped.Select(s => new SkippedRule(s.Rule, s.Reason)).ToList() ?? [],
            FieldsNotShared = outcome?.FieldsNotShared ?? [],
            ErrorCounts = counts,
            Errors = errors,
            ErrorsTruncated = outcome?.Errors.Truncated ?? false,
            ReceivedAt = receivedAt,
            ProcessedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>
    /// The provider's data-quality report counts the drop once the ledger has its final status. A failure here leaves
    /// the report one drop behind until the next; it must not fail a drop that is already complete (a retry would only
    /// answer duplicate).
    /// </summary>
    private async Task RefreshQualityAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            await quality.RefreshAsync(receipt.Provider, QualityReporter.PeriodOf(receipt.ReceivedAt), cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            logger.LogWarning("Quality report of {Provider} not refreshed after drop {DropId}: {Status}", receipt.Provider, receipt.DropId, ex.Status);
        }
    }

    private async Task WriteReceiptAsync(Receipt receipt, CancellationToken cancellationToken) =>
        await storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(DropLedger.ReceiptBlobName(receipt.Provider, receipt.DropId))
            .UploadAsync(BinaryData.FromString(ReceiptJson.Serialize(receipt)), overwrite: true, cancellationToken);

    /// <summary>Every error: as JSON in quarantine, and as CSV beside the receipt for the sender to sort and filter.</summary>
    private async Task WriteErrorReportAsync(string provider, string dropId, ErrorLog errors, CancellationToken cancellationToken)
    {
        var content = await errors.CompleteAsync(cancellationToken);
        await storage.Container(StorageNames.QuarantineContainer).GetBlobClient($"{dropId}/errors.json").UploadAsync(content, overwrite: true, cancellationToken);
        var csv = await errors.CompleteCsvAsync(cancellationToken);
        await storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(DropLedger.ErrorsCsvBlobName(provider, dropId)).UploadAsync(csv, overwrite: true, cancellationToken);
    }

    private async Task<Receipt> DuplicateReceiptAsync(string provider, string dropId, CancellationToken cancellationToken)
    {
        var stored = await storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(DropLedger.ReceiptBlobName(provider, dropId))
            .DownloadContentAsync(cancellationToken);
        var original = ReceiptJson.Deserialize(stored.Value.Content.ToString());
        return original with { Status = ReceiptStatus.Duplicate, ProcessedAt = clock.GetUtcNow() };
    }

    /// <summary>
    /// The quarters whose KPIs this drop can change, each once. School, college and board drops: the quarters of their
    /// rows (their curated files). A YOT case drop: the quarters its dated rows fall in, every quarter between a
    /// record's start and end (an open record runs to the arrival quarter: a long placement counts in each quarter it
    /// spans, an order ending in Q3 changes Q3's "orders ending"), and every quarter spanned by the interventions of the
    /// children it names — a care status, screening, victim or a child's own details change the KPIs of the quarters
    /// that child's orders are counted in, whatever the record's own dates. Bounded to the last 8 quarters up to the
    /// arrival (what a board's trend shows), plus the quarters of the drop's own curated files.
    /// </summary>
    private async Task<IReadOnlyList<Quarter>> PeriodsTouchedAsync(DropContext context, DropOutcome outcome, CancellationToken cancellationToken)
    {
        var periods = new SortedSet<Quarter>(outcome.Files.Select(f => f.Period));
        if (context.Schema.Linkage != Linkages.CaseRef) return periods.ToList();

        var arrival = Quarter.Of(context.ArrivedOn);
        var first = arrival;
        for (var i = 1; i < TouchedWindowQuarters; i++) first = first.Previous();
        void Span(DateOnly from, DateOnly to)
        {
            var q = Quarter.Of(from) < first ? first : Quarter.Of(from);
            var last = Quarter.Of(to) > arrival ? arrival : Quarter.Of(to);
            for (; q <= last; q = q.Number == 4 ? new Quarter(q.Year + 1, 1) : new Quarter(q.Year, q.Number + 1)) periods.Add(q);
        }

        var curated = storage.Container(StorageNames.CuratedContainer);
        var children = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in outcome.Files)
        {
            var table = await ReadDatesAsync(curated, CuratedLayout.BlobName(context.DropType, context.Yot, file.Period, context.DropId), context.Schema, cancellationToken);
            for (var r = 0; r < table.Rows.RowCount; r++)
            {
                if (table.Rows.Text(CuratedLayout.ChildId, r) is { Length: > 0 } child) children.Add(child);
                if (table.SpanOf(r, arrival) is { } span) Span(span.From, span.To);
            }
        }

        if (children.Count > 0)
        {
            var interventions = _catalogue.Get(InterventionsDropType);
            var all = await ReadDatesAsync(curated, CuratedLayout.DropTypePrefix(InterventionsDropType, context.Yot), interventions, cancellationToken);
            for (var r = 0; r < all.Rows.RowCount; r++)
                if (all.Rows.Text(CuratedLayout.ChildId, r) is { } child && children.Contains(child) && all.SpanOf(r, arrival) is { } span)
                    Span(span.From, span.To);
        }
        return periods.ToList();
    }

    private const int TouchedWindowQuarters = 8;
    private const string InterventionsDropType = "yot-interventions";

    /// <summary>The child and the stored date columns (generalised ones, like a birth month, are not dates any more) of curated files under a prefix.</summary>
    private static async Task<RowDates> ReadDatesAsync(BlobContainerClient curated, string prefix, DropSchema schema, CancellationToken cancellationToken)
    {
        var dates = schema.Fields.Where(f => f.Type == "date" && f.Privacy is null).Select(f => f.Name).ToList();
        // A record is open while its end is empty: the start and end of the schema's order rules (start_date/end_date,
        // date_attended_start/date_attended_end); other order rules (screened before referred) are not spans.
        var spans = schema.Rules.Where(r => r.Kind == RuleKinds.Order && r.Start is not null && r.End is not null
                && (r.End.EndsWith("end_date", StringComparison.Ordinal) || r.End.EndsWith("_end", StringComparison.Ordinal))
                && dates.Contains(r.Start) && dates.Contains(r.End))
            .Select(r => (r.Start!, r.End!)).ToList();
        var table = await CuratedTable.ReadAsync(curated, prefix, [CuratedLayout.ChildId, .. dates], cancellationToken);
        return new RowDates(table, dates, spans);
    }

    private sealed record RowDates(CuratedTable Rows, IReadOnlyList<string> Dates, IReadOnlyList<(string Start, string End)> Spans)
    {
        /// <summary>From the row's earliest date to its latest, or to the arrival where a record is still open; null for an undated row.</summary>
        public (DateOnly From, DateOnly To)? SpanOf(int row, Quarter arrival)
        {
            DateOnly? from = null, to = null;
            foreach (var column in Dates)
                if (Rows.Date(column, row) is { } d)
                {
                    if (from is null || d < from) from = d;
                    if (to is null || d > to) to = d;
                }
            if (from is null) return null;
            if (Spans.Any(s => Rows.Date(s.Start, row) is not null && Rows.Date(s.End, row) is null)) to = arrival.End;
            return (from.Value, to!.Value);
        }
    }

    private static string Subject(string dropId) => $"drop-{dropId}";

    /// <summary>The provider and drop type of an upload path; <see cref="InvalidDropPathException"/> unless every segment keeps <see cref="NameRules"/>.</summary>
    public static (string Provider, string DropType) ParsePath(string blobName)
    {
        var parts = blobName.Split('/');
        if (parts.Length != 3)
            throw new InvalidDropPathException($"Upload path {NameRules.Show(blobName)} is not {{provider}}/{{dropType}}/{{file}}.");
        if ((NameRules.IdProblem("provider", parts[0]) ?? NameRules.IdProblem("drop type", parts[1]) ?? NameRules.FileNameProblem(parts[2])) is { } problem)
            throw new InvalidDropPathException(problem);
        return (parts[0], parts[1]);
    }

    private static async Task<string> HashAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        await using var content = await OpenAsync(blob, cancellationToken);
        var hash = await SHA256.HashDataAsync(content, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    // One streamed GET of the whole blob: memory stays at the stream's buffer whatever the drop's size.
    private static async Task<Stream> OpenAsync(BlobClient blob, CancellationToken cancellationToken) =>
        (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
}
