using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// The <c>Drops</c> table: one row per drop, PartitionKey = provider, RowKey = dropId, so the same file sent again
/// finds its first row. The row is the drop's single commit point: its curated files, receipt and recompute request
/// count only once <c>Status</c> is final (<see cref="IsCommitted"/>). Before that the row is a <em>claim</em>
/// (<c>processing</c>, with a lease) taken by a conditional write, so two workers given the same drop cannot both
/// process it, and a worker whose claim was taken over cannot commit.
/// </summary>
public sealed class DropLedger(PipelineStorage storage)
{
    public const string Processing = "processing";
    private readonly TableClient _table = storage.Table(StorageNames.DropsTable);

    /// <summary>
    /// The drop id: SHA-256 over the provider id, the drop type and the content (<c>"{provider}\n{dropType}\n"</c>
    /// then the file's bytes), lower-case hex. The drop type is part of it so that a file refused for a wrong type can
    /// be sent again under the right one; the provider so that curated and quarantine paths, which name only the drop
    /// id, never collide between two providers sending the same bytes. Streamed: memory does not grow with the file.
    /// </summary>
    public static async Task<string> DropIdAsync(string provider, string dropType, Stream content, CancellationToken cancellationToken)
    {
        using var hash = new DropIdHash(provider, dropType);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0) hash.Append(buffer.AsSpan(0, read));
        return hash.Finish();
    }

    public async Task<TableEntity?> FindAsync(string provider, string dropId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(provider, dropId, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Claims a drop for processing with a conditional write: an insert when the drop is new, an update on the row's
    /// ETag when taking over a refused drop (a new attempt) or a claim whose lease has run out (a crashed attempt).
    /// Exactly one of several workers racing for the same drop gets <see cref="ClaimState.Claimed"/>.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(string provider, string dropId, string dropType, string blobName, DateTimeOffset receivedAt,
        DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        while (true)
        {
            var existing = await FindAsync(provider, dropId, cancellationToken);
            if (existing is not null && IsCommitted(existing) && existing.GetString("Status") != ReceiptStatus.Rejected)
                return new ClaimResult(ClaimState.Committed, existing, null);
            if (existing is not null && !IsCommitted(existing) && existing.GetDateTimeOffset(ClaimedUntil) > now)
                return new ClaimResult(ClaimState.InProgress, existing, null);

            // A refused drop sent again is a new attempt; a lapsed claim is the same attempt carried on.
            var attempt = (int)(existing?.GetInt32(Attempt) ?? 1) + (existing?.GetString("Status") == ReceiptStatus.Rejected ? 1 : 0);
            var claimId = Guid.NewGuid().ToString("N");
            var row = new TableEntity(provider, dropId)
            {
                ["DropType"] = dropType,
                ["Status"] = Processing,
                ["BlobName"] = blobName,
                ["ReceivedAt"] = receivedAt,
                [ClaimId] = claimId,
                [ClaimedUntil] = now + lease,
                [Attempt] = attempt,
            };
            try
            {
                var response = existing is null
                    ? await _table.AddEntityAsync(row, cancellationToken)
                    : await _table.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                return new ClaimResult(ClaimState.Claimed, existing,
                    new DropClaim(provider, dropId, claimId, attempt, response.Headers.ETag ?? default));
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another worker got there first: look again at what it wrote.
            }
        }
    }

    /// <summary>
    /// Records, before they are written, the curated files this attempt will write: a later attempt or the orphan sweep
    /// finds them by this if the attempt dies. Fails with <see cref="DropClaimLostException"/> if the claim was taken over.
    /// </summary>
    public Task RecordIntentAsync(DropClaim claim, string yot, IReadOnlyList<string> curatedBlobs, CancellationToken cancellationToken) =>
        ConditionalAsync(claim, new TableEntity(claim.Provider, claim.DropId)
        {
            ["Yot"] = yot,
            ["CuratedBlobs"] = string.Join(";", curatedBlobs),
        }, TableUpdateMode.Merge, cancellationToken);

    /// <summary>
    /// The drop's commit point: the final status, the curated files that now count and the quarters whose KPIs the drop
    /// changes, written only if this worker still holds its claim. Written after the receipt, so the ledger never says
    /// done before the receipt exists.
    /// </summary>
    public Task CommitAsync(DropClaim claim, Receipt receipt, string blobName, string yot, IReadOnlyList<string> curatedBlobs,
        IReadOnlyList<string> periods, CancellationToken cancellationToken) =>
        ConditionalAsync(claim, new TableEntity(receipt.Provider, receipt.DropId)
        {
            ["DropType"] = receipt.DropType,
            ["Status"] = receipt.Status,
            ["Agreement"] = receipt.Agreement,
            ["Yot"] = yot,
            ["BlobName"] = blobName,
            [RowsRead] = receipt.Rows.Read,
            [RowsAccepted] = receipt.Rows.Accepted,
            [RowsRejected] = receipt.Rows.Rejected,
            [RowsOutOfCohort] = receipt.Rows.OutOfCohort,
            ["ReceiptBlob"] = ReceiptBlobName(receipt.Provider, receipt.DropId),
            ["CuratedBlobs"] = string.Join(";", curatedBlobs),
            [Periods] = string.Join(";", periods),
            [Attempt] = claim.Attempt,
            ["ReceivedAt"] = receipt.ReceivedAt,
            ["ProcessedAt"] = receipt.ProcessedAt,
        }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>
    /// Set once what follows a commit is done (the KPI recompute of the drop's quarters asked for, the provider's quality
    /// report refreshed); a delivery of a committed drop without it does them again.
    /// </summary>
    public async Task MarkFollowedUpAsync(string provider, string dropId, CancellationToken cancellationToken) =>
        await _table.UpdateEntityAsync(new TableEntity(provider, dropId) { [FollowedUp] = true }, ETag.All, TableUpdateMode.Merge,
            cancellationToken);

    /// <summary>
    /// Gives a claim up after a failure, so the trigger's retry takes the drop over at once instead of waiting for the
    /// lease to run out. Does nothing if the claim has already been taken over.
    /// </summary>
    public async Task ReleaseAsync(DropClaim claim)
    {
        try
        {
            await ConditionalAsync(claim, new TableEntity(claim.Provider, claim.DropId) { [ClaimedUntil] = DateTimeOffset.UnixEpoch },
                TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DropClaimLostException or RequestFailedException)
        {
            // Taken over, or storage is down: the lease runs out on its own.
        }
    }

    /// <summary>
    /// Ends a lapsed claim for the orphan sweep, on the ETag it read: a worker that still thinks it holds the claim can
    /// no longer commit. False if the row changed meanwhile (the drop was retried or committed).
    /// </summary>
    public async Task<bool> EndLapsedClaimAsync(TableEntity lapsed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(new TableEntity(lapsed.PartitionKey, lapsed.RowKey)
            {
                [ClaimId] = "",
                [ClaimedUntil] = DateTimeOffset.UnixEpoch,
                ["CuratedBlobs"] = "",
                [SweptAt] = now,
            }, lapsed.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    private async Task ConditionalAsync(DropClaim claim, TableEntity entity, TableUpdateMode mode, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.UpdateEntityAsync(entity, claim.ETag, mode, cancellationToken);
            claim.ETag = response.Headers.ETag ?? default;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            throw new DropClaimLostException(claim.DropId);
        }
    }

    public const string ClaimId = "ClaimId";
    public const string ClaimedUntil = "ClaimedUntil";
    public const string Attempt = "Attempt";
    public const string Periods = "Periods";
    public const string FollowedUp = "FollowedUp";
    public const string SweptAt = "SweptAt";
    private const string RowsRead = "RowsRead";
    private const string RowsAccepted = "RowsAccepted";
    private const string RowsRejected = "RowsRejected";
    private const string RowsOutOfCohort = "RowsOutOfCohort";

    /// <summary>
    /// A committed row's counts; null while the drop is being processed. The ledger keeps no held rows (the receipt
    /// has them), and rows written by hand may hold 32-bit numbers.
    /// </summary>
    public static RowCounts? CountsOf(TableEntity row)
    {
        long? Count(string column) => row.GetInt64(column) ?? row.GetInt32(column);
        if (Count(RowsRead) is not { } read) return null;
        return new RowCounts(read, Count(RowsAccepted) ?? 0, Count(RowsRejected) ?? 0, Count(RowsOutOfCohort) ?? 0, 0);
    }

    public static string ReceiptBlobName(string provider, string dropId) => $"{provider}/{dropId}.json";

    /// <summary>Every error of a drop as CSV, beside its receipt (the receipt itself lists the first 1,000).</summary>
    public static string ErrorsCsvBlobName(string provider, string dropId) => $"{provider}/{dropId}.errors.csv";

    /// <summary>The drop's processing is over: accepted, accepted with errors, or refused (a refused drop may still be sent
    /// again).</summary>
    public static bool IsCommitted(TableEntity entity) => entity.GetString("Status") is { } s && s != Processing;

    /// <summary>The same as <see cref="IsCommitted"/>; the name retention and the quality report use.</summary>
    public static bool IsFinal(TableEntity entity) => IsCommitted(entity);

    /// <summary>Committed and accepted: its curated files count.</summary>
    public static bool IsAccepted(TableEntity entity) =>
        entity.GetString("Status") is ReceiptStatus.Accepted or ReceiptStatus.AcceptedWithErrors;

    /// <summary>The curated files a row lists (committed ones once the row is committed; planned ones while it is a claim).</summary>
    public static IReadOnlyList<string> CuratedBlobsOf(TableEntity entity) =>
        (entity.GetString("CuratedBlobs") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);

    public async Task<IReadOnlyList<TableEntity>> ForProviderAsync(string provider, CancellationToken cancellationToken)
    {
        var list = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == provider,
            cancellationToken: cancellationToken)) list.Add(e);
        return list;
    }

    /// <summary>Every row, claims included (the sweep and retention look at all of them).</summary>
    public async Task<IReadOnlyList<TableEntity>> AllAsync(CancellationToken cancellationToken)
    {
        var list = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken)) list.Add(e);
        return list;
    }

    /// <summary>
    /// The committed, accepted drops of a YOT whose curated files are still kept: what every reader of curated data
    /// reads, and nothing else. A file under a YOT's prefix that no such row lists (a crashed attempt's, one retention
    /// is deleting) does not count.
    /// </summary>
    public async Task<IReadOnlyList<TableEntity>> CommittedForYotAsync(string yot, CancellationToken cancellationToken)
    {
        var list = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Yot eq {yot}"),
            cancellationToken: cancellationToken))
            if (IsAccepted(e) && e.GetDateTimeOffset(Retention.RetentionJob.CuratedDeletedAt) is null) list.Add(e);
        return list;
    }
}

public enum ClaimState
{
    /// <summary>This worker holds the drop: process it.</summary>
    Claimed,

    /// <summary>The drop was accepted before: answer duplicate.</summary>
    Committed,

    /// <summary>Another worker holds a live claim on the same drop: answer duplicate of the drop in progress.</summary>
    InProgress,
}

/// <param name="Existing">The row as it was before this claim (null for a new drop).</param>
public sealed record ClaimResult(ClaimState State, TableEntity? Existing, DropClaim? Claim);

/// <summary>A worker's hold on one drop: every later ledger write is conditional on <see cref="ETag"/>.</summary>
public sealed class DropClaim(string provider, string dropId, string claimId, int attempt, ETag etag)
{
    public string Provider { get; } = provider;
    public string DropId { get; } = dropId;
    public string ClaimId { get; } = claimId;

    /// <summary>1 for the first attempt; one more for each time a refused drop is sent again.</summary>
    public int Attempt { get; } = attempt;

    public ETag ETag { get; set; } = etag;
}

/// <summary>The claim lapsed and another worker (or the orphan sweep) took the drop over: this attempt must stop writing.</summary>
public sealed class DropClaimLostException(string dropId)
    : Exception($"The claim on drop {dropId} lapsed and was taken over; this attempt stopped without committing.");
