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
/// One commit point per drop, the <c>Drops</c> ledger row (<see cref="DropLedger"/>). The upload is read once, its rows
/// staged locally as it downloads (<see cref="DropDownload"/>); then, before anything is written to storage, the drop is
/// claimed under its id by a conditional write; its curated files are listed on the claim before they are written, then written; the error
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
    CohortCache cohorts,
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

        // The file is read once: its rows are processed while it downloads and its id (a hash of every byte) is computed,
        // into local staged files only. The claim comes after, when the id is known; everything storage keeps is
        // written under it. A duplicate costs a read of the rows, never a second count of them.
        var gate = await GateAsync(provider, dropType, receivedAt, cancellationToken);
        string dropId;
        DropOutcome? outcome = null;
        try
        {
            await using (var download = DropDownload.Start(await OpenAsync(blob, cancellationToken), provider, dropType, cancellationToken))
            {
                if (gate.Context is { } context)
                {
                    var cohort = context.Schema.Linkage == Linkages.None || dropType == CohortIndex.ChildrenDropType
                        ? CohortIndex.Empty
                        : await cohorts.GetAsync(context.Yot, context.Schema, cancellationToken);
                    outcome = await new DropProcessor(_catalogue, options.Value.StagingDirectory)
                        .ProcessAsync(download.Content, context, cohort, cancellationToken);
                }
                dropId = await download.FinishAsync(cancellationToken);
            }
            return await CommitAsync(blob, dropId, provider, dropType, receivedAt, gate, outcome, cancellationToken);
        }
        finally
        {
            if (outcome is not null) await outcome.DisposeAsync();
        }
    }

    /// <summary>What the gate decided before a row is read: the drop's context, or why the whole drop is refused.</summary>
    private sealed record GateDecision(DropContext? Context, RowError? Refusal);

    private async Task<GateDecision> GateAsync(string provider, string dropType, DateTimeOffset receivedAt,
        CancellationToken cancellationToken)
    {
        if (!_catalogue.TryGet(dropType, out var schema))
            return new GateDecision(null, new RowError(null, null, RuleCatalogue.DropTypeUnknown.Code, RuleSeverity.Error,
                $"'{dropType}' is not a drop type. Known types: {string.Join(", ", _catalogue.DropTypes)}."));

        var decision = AgreementGate.Check(await agreements.ForProviderAsync(provider, cancellationToken), provider, dropType,
            DateOnly.FromDateTime(receivedAt.UtcDateTime));
        if (!decision.Allowed)
            return new GateDecision(null, new RowError(null, null, decision.Refusal!.Code, RuleSeverity.Error, decision.Message!));

        var agreement = decision.Agreement!;
        return new GateDecision(new DropContext(provider, dropType, schema, agreement, agreement.Covering(dropType)!, receivedAt,
            pseudonymiser), null);
    }

    /// <summary>Claims the drop under its id and, if this attempt holds the claim, writes and commits what the gate made of it.</summary>
    private async Task<Receipt> CommitAsync(BlobClient blob, string dropId, string provider, string dropType, DateTimeOffset receivedAt,
        GateDecision gate, DropOutcome? outcome, CancellationToken cancellationToken)
    {
        var claim = await ledger.ClaimAsync(provider, dropId, dropType, blob.Name, receivedAt, clock.GetUtcNow(), options.Value.ClaimLease,
            cancellationToken);
        switch (claim.State)
        {
            case ClaimState.Committed:
                logger.LogInformation("Drop {DropId} from {Provider} was already processed; answering duplicate", dropId, provider);
                var stored = await StoredReceiptAsync(claim.Existing!, cancellationToken);
                await FollowUpAsync(claim.Existing!, stored, cancellationToken);
                return DuplicateReceipt(claim.Existing!, stored);
            case ClaimState.InProgress:
                logger.LogInformation("Drop {DropId} from {Provider} is being processed by another worker; answering duplicate", dropId,
                    provider);
                return DropReceipts.InProgress(dropId, provider, dropType, receivedAt, clock.GetUtcNow());
        }

        var held = claim.Claim!;
        Receipt receipt;
        try
        {
            await faults.AtAsync(FaultPoints.DropClaimed, cancellationToken);
            await RemoveLeftoversAsync(claim.Existing, cancellationToken);
            logger.LogInformation("Storing drop {DropId} from {Provider} of type {DropType} (attempt {Attempt})", dropId, provider,
                dropType, held.Attempt);
            var earlier = claim.Existing is not null;
            if (gate.Context is not { } context)
                receipt = await RejectAsync(blob, held, provider, dropType, null, receivedAt, gate.Refusal!, null, earlier,
                    cancellationToken);
            else
            {
                await audit.AppendAsync(new AuditEntry(Subject(dropId), Step("1-gate", held), provider,
                    $"accepted under agreement for {dropType}", context.Agreement.Id, 0, clock.GetUtcNow()), cancellationToken);
                receipt = outcome!.Refused
                    ? await RejectAsync(blob, held, provider, dropType, context.Agreement, receivedAt, outcome.Refusal!, outcome, earlier,
                        cancellationToken)
                    : await AcceptAsync(blob.Name, held, context, outcome, earlier, cancellationToken);
            }
        }
        catch (DropClaimLostException)
        {
            logger.LogWarning("Drop {DropId} from {Provider}: the claim lapsed and another worker took the drop over; this attempt stopped",
                dropId, provider);
            return DropReceipts.InProgress(dropId, provider, dropType, receivedAt, clock.GetUtcNow());
        }
        catch
        {
            await ledger.ReleaseAsync(held);
            throw;
        }

        await faults.AtAsync(FaultPoints.DropCommitted, cancellationToken);
        if (await ledger.FindAsync(provider, dropId, cancellationToken) is { } committed)
            await FollowUpAsync(committed, receipt, cancellationToken);
        logger.LogInformation("Drop {DropId} {Status}: {Accepted} of {Read} rows accepted, {OutOfCohort} out of cohort",
            dropId, receipt.Status, receipt.Rows.Accepted, receipt.Rows.Read, receipt.Rows.OutOfCohort);
        return receipt;
    }

    private async Task<Receipt> AcceptAsync(string blobName, DropClaim claim, DropContext context, DropOutcome outcome, bool earlier,
        CancellationToken cancellationToken)
    {
        var curated = storage.Container(StorageNames.CuratedContainer);
        var files = outcome.Files.OrderBy(f => f.Period).ToList();
        var names = files.Select(f => CuratedLayout.BlobName(context.DropType, context.Yot, f.Period, claim.DropId)).ToList();
        // Listed on the claim before the first is written: whoever finds this attempt dead knows what to remove.
        await ledger.RecordIntentAsync(claim, context.Yot, names, cancellationToken);
        for (var i = 0; i < files.Count; i++)
        {
            var content = await files[i].CompleteAsync(claim.DropId, cancellationToken);
            await curated.GetBlobClient(names[i]).UploadAsync(content, overwrite: true, cancellationToken);
            await faults.AtAsync(FaultPoints.CuratedFileWritten, cancellationToken);
        }
        await faults.AtAsync(FaultPoints.CuratedWritten, cancellationToken);
        await WriteErrorReportAsync(context.Provider, claim.DropId, outcome.Errors, earlier, cancellationToken);

        var receipt = DropReceipts.Build(claim.DropId, context.Provider, context.DropType, context.Agreement.Id, context.ReceivedAt,
            outcome, outcome.Errors.Total > 0 ? ReceiptStatus.AcceptedWithErrors : ReceiptStatus.Accepted, clock.GetUtcNow());
        await WriteReceiptAsync(receipt, cancellationToken);
        await faults.AtAsync(FaultPoints.ReceiptWritten, cancellationToken);

        var periods = await new PeriodsTouched(storage, _catalogue).OfAsync(context, outcome, names, cancellationToken);
        var now = clock.GetUtcNow();
        var subject = Subject(claim.DropId);
        await audit.AppendAsync(new AuditEntry(subject, Step("2-validate", claim), context.Provider, "validated against the drop schema",
            context.Agreement.Id, outcome.Rows.Read, now,
            $"{outcome.Rows.Rejected} rows refused; catalogue {RuleCatalogue.Version}"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, Step("3-minimise", claim), context.Provider,
            "removed columns the agreement does not cover", context.Agreement.Id, outcome.Rows.Read, now,
            outcome.FieldsNotShared.Count == 0 ? "none removed" : $"{outcome.FieldsNotShared.Count} column(s) removed"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, Step("4-link", claim), context.Provider,
            "pseudonymised and linked to the YOT cohort", context.Agreement.Id, outcome.Rows.Accepted, now,
            $"{outcome.Rows.OutOfCohort} out-of-cohort rows discarded; key {pseudonymiser.KeyVersion}"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(subject, Step("5-curate", claim), context.Provider, $"wrote {names.Count} curated file(s)",
            context.Agreement.Id, outcome.Rows.Accepted, now, string.Join(";", names)), cancellationToken);
        await ledger.CommitAsync(claim, receipt, blobName, context.Yot, names, [.. periods.Select(p => p.ToString())], cancellationToken);
        return receipt;
    }

    private async Task<Receipt> RejectAsync(BlobClient blob, DropClaim claim, string provider, string dropType, Agreement? agreement,
        DateTimeOffset receivedAt, RowError refusal, DropOutcome? outcome, bool earlier, CancellationToken cancellationToken)
    {
        var dropId = claim.DropId;
        var quarantine = storage.Container(StorageNames.QuarantineContainer);
        await quarantine.GetBlobClient($"{dropId}/{Path.GetFileName(blob.Name)}")
            .SyncCopyFromUriAsync(blob.Uri, cancellationToken: cancellationToken);

        var receipt = DropReceipts.Build(dropId, provider, dropType, agreement?.Id, receivedAt, outcome, ReceiptStatus.Rejected,
            clock.GetUtcNow(), refusal);
        await quarantine.GetBlobClient($"{dropId}/report.json").UploadAsync(BinaryData.FromString(ReceiptJson.Serialize(receipt)),
            overwrite: true, cancellationToken);
        await WriteErrorReportAsync(provider, dropId, outcome?.Errors, earlier, cancellationToken);
        await WriteReceiptAsync(receipt, cancellationToken);
        await faults.AtAsync(FaultPoints.ReceiptWritten, cancellationToken);

        await audit.AppendAsync(new AuditEntry(Subject(dropId), Step("1-gate", claim), provider, $"refused: {refusal.Rule}", agreement?.Id,
            receipt.Rows.Read, clock.GetUtcNow()), cancellationToken);
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
    /// <param name="receipt">The drop's receipt as stored (null if unreadable): what the quality report adds.</param>
    private async Task FollowUpAsync(TableEntity row, Receipt? receipt, CancellationToken cancellationToken)
    {
        if (row.GetBoolean(DropLedger.FollowedUp) == true) return;
        var periods = (row.GetString(DropLedger.Periods) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
        if (DropLedger.IsAccepted(row) && row.GetString("Yot") is { Length: > 0 } yot && periods.Length > 0)
            await recompute.RequestAsync(yot, periods, cancellationToken);
        if (row.GetDateTimeOffset("ReceivedAt") is { } receivedAt)
            await RefreshQualityAsync(row.PartitionKey, row.RowKey, receivedAt, receipt, cancellationToken);
        await ledger.MarkFollowedUpAsync(row.PartitionKey, row.RowKey, cancellationToken);
    }

    /// <summary>
    /// The provider's data-quality report counts the drop once the ledger has its final status. A failure here leaves
    /// the report one drop behind until the next; it must not fail a drop that is already complete (a retry would only
    /// answer duplicate).
    /// </summary>
    private async Task RefreshQualityAsync(string provider, string dropId, DateTimeOffset receivedAt, Receipt? receipt,
        CancellationToken cancellationToken)
    {
        try
        {
            if (receipt is not null) await quality.RecordAsync(receipt, cancellationToken);
            else await quality.RefreshAsync(provider, QualityReporter.PeriodOf(receivedAt), cancellationToken);
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
    private async Task WriteErrorReportAsync(string provider, string dropId, ErrorLog? errors, bool earlier,
        CancellationToken cancellationToken)
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
    private Receipt DuplicateReceipt(TableEntity row, Receipt? stored)
    {
        if (stored is not null) return stored with { Status = ReceiptStatus.Duplicate, ProcessedAt = clock.GetUtcNow() };
        logger.LogWarning("Drop {DropId} from {Provider}: stored receipt unreadable; answering duplicate from the ledger", row.RowKey,
            row.PartitionKey);
        return DropReceipts.FromLedger(row, clock.GetUtcNow());
    }

    /// <summary>A committed drop's own receipt; null if storage lost it or it does not parse.</summary>
    private async Task<Receipt?> StoredReceiptAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await storage.Container(StorageNames.ReceiptsContainer)
                .GetBlobClient(DropLedger.ReceiptBlobName(row.PartitionKey, row.RowKey))
                .DownloadContentAsync(cancellationToken);
            return ReceiptJson.Deserialize(stored.Value.Content.ToString());
        }
        catch (Exception ex) when (ex is RequestFailedException { Status: 404 } or JsonException)
        {
            return null;
        }
    }

    /// <summary>A step of the drop's audit trail; a refused drop sent again is a new attempt with steps of its own.</summary>
    private static string Step(string step, DropClaim claim) => claim.Attempt <= 1 ? step : $"{step}-attempt{claim.Attempt}";

    private static string Subject(string dropId) => $"drop-{dropId}";

    /// <summary>
    /// The provider and drop type of an upload path; <see cref="InvalidDropPathException"/> unless every segment keeps
    /// <see cref="NameRules"/>.
    /// </summary>
    public static (string Provider, string DropType) ParsePath(string blobName)
    {
        var parts = blobName.Split('/');
        if (parts.Length != 3)
            throw new InvalidDropPathException($"Upload path {NameRules.Show(blobName)} is not {{provider}}/{{dropType}}/{{file}}.");
        if ((NameRules.IdProblem("provider", parts[0]) ?? NameRules.IdProblem("drop type", parts[1])
            ?? NameRules.FileNameProblem(parts[2])) is { } problem)
            throw new InvalidDropPathException(problem);
        return (parts[0], parts[1]);
    }

    // One streamed GET of the whole blob, read ahead of the row path: memory stays at a few chunks whatever the drop's size.
    private static async Task<Stream> OpenAsync(BlobClient blob, CancellationToken cancellationToken) =>
        (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
}
