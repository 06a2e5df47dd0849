using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Linkage;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// Entry point of the <c>IngestDrop</c> stage: one uploaded blob at drops/{provider}/{dropType}/{name} through the
/// gate to curated storage, with its receipt, ledger row, audit rows and KPI recompute request.
/// <para>
/// One commit point per drop, the <c>Drops</c> ledger row (<see cref="DropLedger"/>): the drop is first claimed by a
/// conditional write; its curated files are listed on the claim before they are written, then written; the error
/// report and the receipt are written; and only then does the row say <c>accepted</c> (or <c>rejected</c>), again
/// conditionally on the claim. Readers count curated files only through committed rows, so a drop that dies at any
/// line counts for nothing until a retry commits it, and its leftovers are removed by that retry or by the orphan
/// sweep. After the commit the KPI recompute is asked for (<see cref="KpiRecomputeMarkers"/>) and the row marked so;
/// a delivery of a committed drop without that mark asks again.
/// </para>
/// Safe to run twice for the same blob (blob triggers are at-least-once): a committed accepted drop is answered
/// <c>duplicate</c> from its stored receipt; one being processed by another worker is answered <c>duplicate</c> at
/// once (<see cref="Receipt.InProgress"/>) rather than waited for; a refused one is processed again (the agreement may
/// have been loaded since).
/// </summary>
public sealed class DropIngestor(
    PipelineStorage storage,
    AgreementStore agreements,
    DropLedger ledger,
    AuditLog audit,
    Pseudonymiser pseudonymiser,
    QualityReporter quality,
    KpiRecomputeMarkers recompute,
    IFaultInjector faults,
    IOptions<IngestionOptions> options,
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
        await using var upload = await DropUpload.ReadAsync(await OpenAsync(blob, cancellationToken), provider, dropType, cancellationToken);
        var dropId = upload.DropId;

        var claim = await ledger.ClaimAsync(provider, dropId, dropType, blobName, receivedAt, clock.GetUtcNow(), options.Value.ClaimLease, cancellationToken);
        switch (claim.State)
        {
            case ClaimState.Committed:
                logger.LogInformation("Drop {DropId} from {Provider} was already processed; answering duplicate", dropId, provider);
                await FollowUpAsync(claim.Existing!, cancellationToken);
                return await DuplicateReceiptAsync(claim.Existing!, cancellationToken);
            case ClaimState.InProgress:
                logger.LogInformation("Drop {DropId} from {Provider} is being processed by another worker; answering duplicate", dropId, provider);
                return InProgressReceipt(dropId, provider, dropType, receivedAt);
        }

        var held = claim.Claim!;
        Receipt receipt;
        try
        {
            await faults.AtAsync(FaultPoints.DropClaimed, cancellationToken);
            await RemoveLeftoversAsync(claim.Existing, cancellationToken);
            logger.LogInformation("Processing drop {DropId} from {Provider} of type {DropType} (attempt {Attempt})", dropId, provider, dropType, held.Attempt);
            receipt = await ProcessClaimedAsync(blob, upload, held, provider, dropType, receivedAt, earlier: claim.Existing is not null, cancellationToken);
        }
        catch (DropClaimLostException)
        {
            logger.LogWarning("Drop {DropId} from {Provider}: the claim lapsed and another worker took the drop over; this attempt stopped", dropId, provider);
            return InProgressReceipt(dropId, provider, dropType, receivedAt);
        }
        catch
        {
            await ledger.ReleaseAsync(held);
            throw;
        }

        await faults.AtAsync(FaultPoints.DropCommitted, cancellationToken);
        if (await ledger.FindAsync(provider, dropId, cancellationToken) is { } committed) await FollowUpAsync(committed, cancellationToken);
        logger.LogInformation("Drop {DropId} {Status}: {Accepted} of {Read} rows accepted, {OutOfCohort} out of cohort",
            dropId, receipt.Status, receipt.RowsAccepted, receipt.RowsRead, receipt.RowsOutOfCohort);
        return receipt;
    }

    private async Task<Receipt> ProcessClaimedAsync(BlobClient blob, DropUpload upload, DropClaim claim, string provider, string dropType, DateTimeOffset receivedAt,
        bool earlier, CancellationToken cancellationToken)
    {
        var dropId = claim.DropId;
        if (!_catalogue.TryGet(dropType, out var schema))
            return await RejectAsync(blob, claim, provider, dropType, null, receivedAt,
                new RowError(null, null, RuleCatalogue.DropTypeUnknown.Code, RuleSeverity.Error,
                    $"'{dropType}' is not a drop type. Known types: {string.Join(", ", _catalogue.DropTypes)}."), null, earlier, cancellationToken);

        var decision = AgreementGate.Check(await agreements.ForProviderAsync(provider, cancellationToken), provider, dropType, DateOnly.FromDateTime(receivedAt.UtcDateTime));
        if (!decision.Allowed)
            return await RejectAsync(blob, claim, provider, dropType, null, receivedAt,
                new RowError(null, null, decision.Refusal!.Code, RuleSeverity.Error, decision.Message!), null, earlier, cancellationToken);

        var agreement = decision.Agreement!;
        var context = new DropContext(dropId, provider, dropType, schema, agreement, agreement.Covering(dropType)!, receivedAt, pseudonymiser);
        await audit.AppendAsync(new AuditEntry(Subject(dropId), Step("1-gate", claim), provider, $"accepted under agreement for {dropType}", agreement.Id, 0, clock.GetUtcNow()), cancellationToken);

        var cohort = schema.Linkage == Linkages.None || dropType == CohortIndex.ChildrenDropType
            ? CohortIndex.Empty
            : await CohortIndex.LoadAsync(storage, agreement.Yot, schema, cancellationToken);
        await using var outcome = await new DropProcessor(_catalogue).ProcessAsync(upload.Content(), context, cohort, cancellationToken);
        if (outcome.Refused)
            return await RejectAsync(blob, claim, provider, dropType, agreement, receivedAt, outcome.Refusal!, outcome, earlier, cancellationToken);

        return await AcceptAsync(blob.Name, claim, context, outcome, earlier, cancellationToken);
    }

    private async Task<Receipt> AcceptAsync(string blobName, DropClaim claim, DropContext context, DropOutcome outcome, bool earlier, CancellationToken cancellationToken)
    {
        var curated = storage.Container(StorageNames.CuratedContainer);
        var files = outcome.Files.OrderBy(f => f.Period).ToList();
        var names = files.Select(f => CuratedLayout.BlobName(context.DropType, context.Yot, f.Period, context.DropId)).ToList();
        // Listed on the claim before the first is written: whoever finds this attempt dead knows what to remove.
        await ledger.RecordIntentAsync(claim, context.Yot, names, cancellationToken);
        for (var i = 0; i < files.Count; i++)
        {
            var content = await files[i].CompleteAsync(cancellationToken);
            await curated.GetBlobClient(names[i]).UploadAsync(content, overwrite: true, cancellationToken);
            await faults.AtAsync(FaultPoints.CuratedFileWritten, cancellationToken);
        }
        await faults.AtAsync(FaultPoints.CuratedWritten, cancellationToken);
        await WriteErrorReportAsync(context.Provider, context.DropId, outcome.Errors, earlier, cancellationToken);

        var receipt = BuildReceipt(context.DropId, context.Provider, context.DropType, context.Agreement.Id, context.ReceivedAt, outcome,
            outcome.Errors.Total > 0 ? ReceiptStatus.AcceptedWithErrors : ReceiptStatus.Accepted);
        await WriteReceiptAsync(receipt, cancellationToken);
        await faults.AtAsync(FaultPoints.ReceiptWritten, cancellationToken);

        var periods = await PeriodsTouchedAsync(context, outcome, names, cancellationToken);
        var now = clock.GetUtcNow();
        var subject = Subject(context.DropId);
        await audit.AppendAsync(new AuditEntry(subject, Step("2-validate", claim), context.Provider, "validated against the drop schema", context.Agreement.Id, outcome.RowsRead, now,
            $"{outcome.RowsRejected} rows refused; catalogue {RuleCatalogue.Version}"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, Step("3-minimise", claim), context.Provider, "removed columns the agreement does not cover", context.Agreement.Id, outcome.RowsRead, now,
            outcome.FieldsNotShared.Count == 0 ? "none removed" : $"{outcome.FieldsNotShared.Count} column(s) removed"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, Step("4-link", claim), context.Provider, "pseudonymised and linked to the YOT cohort", context.Agreement.Id, outcome.RowsAccepted, now,
            $"{outcome.RowsOutOfCohort} out-of-cohort rows discarded; key {pseudonymiser.KeyVersion}"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, Step("5-curate", claim), context.Provider, $"wrote {names.Count} curated file(s)", context.Agreement.Id, outcome.RowsAccepted, now,
            string.Join(";", names)), cancellationToken);
        await ledger.CommitAsync(claim, receipt, blobName, context.Yot, names, [.. periods.Select(p => p.ToString())], cancellationToken);
        return receipt;
    }

    private async Task<Receipt> RejectAsync(BlobClient blob, DropClaim claim, string provider, string dropType, Agreement? agreement,
        DateTimeOffset receivedAt, RowError refusal, DropOutcome? outcome, bool earlier, CancellationToken cancellationToken)
    {
        var dropId = claim.DropId;
        var quarantine = storage.Container(StorageNames.QuarantineContainer);
        await quarantine.GetBlobClient($"{dropId}/{Path.GetFileName(blob.Name)}").SyncCopyFromUriAsync(blob.Uri, cancellationToken: cancellationToken);

        var receipt = BuildReceipt(dropId, provider, dropType, agreement?.Id, receivedAt, outcome, ReceiptStatus.Rejected, refusal);
        await quarantine.GetBlobClient($"{dropId}/report.json").UploadAsync(BinaryData.FromString(ReceiptJson.Serialize(receipt)), overwrite: true, cancellationToken);
        await WriteErrorReportAsync(provider, dropId, outcome?.Errors, earlier, cancellationToken);
        await WriteReceiptAsync(receipt, cancellationToken);
        await faults.AtAsync(FaultPoints.ReceiptWritten, cancellationToken);

        await audit.AppendAsync(new AuditEntry(Subject(dropId), Step("1-gate", claim), provider, $"refused: {refusal.Rule}", agreement?.Id, receipt.RowsRead, clock.GetUtcNow()), cancellationToken);
        await ledger.CommitAsync(claim, receipt, blob.Name, agreement?.Yot ?? "", [], [], cancellationToken);
        logger.LogWarning("Drop {DropId} from {Provider} refused by rule {Rule}", dropId, provider, refusal.Rule);
        return receipt;
    }

    /// <summary>
    /// Before a new attempt writes anything: the curated files a lapsed attempt listed on its claim go (this attempt
    /// writes its own). The old claim is already taken over, so a straggling worker cannot commit them.
    /// </summary>
    private async Task RemoveLeftoversAsync(TableEntity? earlier, CancellationToken cancellationToken)
    {
        if (earlier is null || DropLedger.IsCommitted(earlier)) return;
        var curated = storage.Container(StorageNames.CuratedContainer);
        foreach (var name in DropLedger.CuratedBlobsOf(earlier))
            await curated.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// What follows a commit: an accepted drop's quarters marked dirty and the queue nudged, the provider's quality
    /// report refreshed; then the ledger row marked so. A crash in between is mended by the next delivery of the drop,
    /// which finds the row without the mark: nothing a committed drop asks for is lost between the commit and the queue.
    /// </summary>
    private async Task FollowUpAsync(TableEntity row, CancellationToken cancellationToken)
    {
        if (row.GetBoolean(DropLedger.FollowedUp) == true) return;
        var periods = (row.GetString(DropLedger.Periods) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
        if (DropLedger.IsAccepted(row) && row.GetString("Yot") is { Length: > 0 } yot && periods.Length > 0)
            await recompute.RequestAsync(yot, periods, cancellationToken);
        if (row.GetDateTimeOffset("ReceivedAt") is { } receivedAt) await RefreshQualityAsync(row.PartitionKey, row.RowKey, receivedAt, cancellationToken);
        await ledger.MarkFollowedUpAsync(row.PartitionKey, row.RowKey, cancellationToken);
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
    private async Task RefreshQualityAsync(string provider, string dropId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            await quality.RefreshAsync(provider, QualityReporter.PeriodOf(receivedAt), cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            logger.LogWarning("Quality report of {Provider} not refreshed after drop {DropId}: {Status}", provider, dropId, ex.Status);
        }
    }

    private async Task WriteReceiptAsync(Receipt receipt, CancellationToken cancellationToken) =>
        await storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(DropLedger.ReceiptBlobName(receipt.Provider, receipt.DropId))
            .UploadAsync(BinaryData.FromString(ReceiptJson.Serialize(receipt)), overwrite: true, cancellationToken);

    /// <summary>
    /// Every error: as JSON in quarantine, and as CSV beside the receipt for the sender to sort and filter. When this
    /// attempt found none, an earlier attempt's reports go, so they are never read as this one's.
    /// </summary>
    private async Task WriteErrorReportAsync(string provider, string dropId, ErrorLog? errors, bool earlier, CancellationToken cancellationToken)
    {
        var json = storage.Container(StorageNames.QuarantineContainer).GetBlobClient($"{dropId}/errors.json");
        var csv = storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(DropLedger.ErrorsCsvBlobName(provider, dropId));
        if (errors is not { Total: > 0 })
        {
            if (!earlier) return;
            await json.DeleteIfExistsAsync(cancellationToken: cancellationToken);
            await csv.DeleteIfExistsAsync(cancellationToken: cancellationToken);
            return;
        }
        await json.UploadAsync(await errors.CompleteAsync(cancellationToken), overwrite: true, cancellationToken);
        await csv.UploadAsync(await errors.CompleteCsvAsync(cancellationToken), overwrite: true, cancellationToken);
    }

    /// <summary>
    /// The stored receipt as a duplicate. Should it be unreadable (storage lost it), the answer is built from the ledger
    /// row's own counts rather than failing every re-send.
    /// </summary>
    private async Task<Receipt> DuplicateReceiptAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(DropLedger.ReceiptBlobName(row.PartitionKey, row.RowKey))
                .DownloadContentAsync(cancellationToken);
            var original = ReceiptJson.Deserialize(stored.Value.Content.ToString());
            return original with { Status = ReceiptStatus.Duplicate, ProcessedAt = clock.GetUtcNow() };
        }
        catch (Exception ex) when (ex is RequestFailedException { Status: 404 } or JsonException)
        {
            logger.LogWarning("Drop {DropId} from {Provider}: stored receipt unreadable ({Error}); answering duplicate from the ledger", row.RowKey, row.PartitionKey, ex.GetType().Name);
            return new Receipt
            {
                DropId = row.RowKey,
                Provider = row.PartitionKey,
                DropType = row.GetString("DropType") ?? "",
                Agreement = row.GetString("Agreement"),
                Status = ReceiptStatus.Duplicate,
                RowsRead = row.GetInt64("RowsRead") ?? 0,
                RowsAccepted = row.GetInt64("RowsAccepted") ?? 0,
                RowsRejected = row.GetInt64("RowsRejected") ?? 0,
                RowsOutOfCohort = row.GetInt64("RowsOutOfCohort") ?? 0,
                ReceivedAt = row.GetDateTimeOffset("ReceivedAt") ?? default,
                ProcessedAt = clock.GetUtcNow(),
            };
        }
    }

    private Receipt InProgressReceipt(string dropId, string provider, string dropType, DateTimeOffset receivedAt) => new()
    {
        DropId = dropId,
        Provider = provider,
        DropType = dropType,
        Status = ReceiptStatus.Duplicate,
        InProgress = true,
        ReceivedAt = receivedAt,
        ProcessedAt = clock.GetUtcNow(),
    };

    /// <summary>A step of the drop's audit trail; a refused drop sent again is a new attempt with steps of its own.</summary>
    private static string Step(string step, DropClaim claim) => claim.Attempt <= 1 ? step : $"{step}-attempt{claim.Attempt}";

    /// <summary>
    /// The quarters whose KPIs this drop can change, each once. School, college and board drops: the quarters of their
    /// rows (their curated files). A YOT case drop: the quarters its dated rows fall in, every quarter between a
    /// record's start and end (an open record runs to the arrival quarter: a long placement counts in each quarter it
    /// spans, an order ending in Q3 changes Q3's "orders ending"), and every quarter spanned by the interventions of the
    /// children it names — a care status, screening, victim or a child's own details change the KPIs of the quarters
    /// that child's orders are counted in, whatever the record's own dates. Bounded to the last 8 quarters up to the
    /// arrival (what a board's trend shows), plus the quarters of the drop's own curated files.
    /// </summary>
    private async Task<IReadOnlyList<Quarter>> PeriodsTouchedAsync(DropContext context, DropOutcome outcome, IReadOnlyList<string> ownFiles, CancellationToken cancellationToken)
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
        var table = await ReadDatesAsync(curated, ownFiles, context.Schema, cancellationToken);
        for (var r = 0; r < table.Rows.RowCount; r++)
        {
            if (table.Rows.Text(CuratedLayout.ChildId, r) is { Length: > 0 } child) children.Add(child);
            if (table.SpanOf(r, arrival) is { } span) Span(span.From, span.To);
        }

        if (children.Count > 0)
        {
            var interventions = _catalogue.Get(InterventionsDropType);
            var committed = await CommittedCurated.LoadAsync(storage, context.Yot, cancellationToken);
            var all = await ReadDatesAsync(curated, committed.Of(InterventionsDropType), interventions, cancellationToken);
            for (var r = 0; r < all.Rows.RowCount; r++)
                if (all.Rows.Text(CuratedLayout.ChildId, r) is { } child && children.Contains(child) && all.SpanOf(r, arrival) is { } span)
                    Span(span.From, span.To);
        }
        return periods.ToList();
    }

    private const int TouchedWindowQuarters = 8;
    private const string InterventionsDropType = "yot-interventions";

    /// <summary>The child and the stored date columns (generalised ones, like a birth month, are not dates any more) of these curated files.</summary>
    private static async Task<RowDates> ReadDatesAsync(BlobContainerClient curated, IReadOnlyList<string> blobs, DropSchema schema, CancellationToken cancellationToken)
    {
        var dates = schema.Fields.Where(f => f.Type == "date" && f.Privacy is null).Select(f => f.Name).ToList();
        // A record is open while its end is empty: the start and end of the schema's order rules (start_date/end_date,
        // date_attended_start/date_attended_end); other order rules (screened before referred) are not spans.
        var spans = schema.Rules.Where(r => r.Kind == RuleKinds.Order && r.Start is not null && r.End is not null
                && (r.End.EndsWith("end_date", StringComparison.Ordinal) || r.End.EndsWith("_end", StringComparison.Ordinal))
                && dates.Contains(r.Start) && dates.Contains(r.End))
            .Select(r => (r.Start!, r.End!)).ToList();
        var table = await CuratedTable.ReadAsync(curated, blobs, [CuratedLayout.ChildId, .. dates], cancellationToken);
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

    // One streamed GET of the whole blob, into the spool: memory stays at the stream's buffer whatever the drop's size.
    private static async Task<Stream> OpenAsync(BlobClient blob, CancellationToken cancellationToken) =>
        (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
}
