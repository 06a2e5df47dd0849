using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>Something a dead attempt left that nothing counts: a curated file no committed drop lists, or a stale staged file.</summary>
/// <param name="Name">The curated blob name, or the staged file's name (a random id) within the staging folder.</param>
public sealed record Orphan(string Kind, string Name, string? Provider, string? DropId, string Reason, string Version);

public static class OrphanKinds
{
    /// <summary>A file under curated/ that no committed drop lists.</summary>
    public const string Curated = "curated-orphan";

    /// <summary>A staged or downloaded Parquet file in the local staging folder, older than a claim can live.</summary>
    public const string Staged = "staged-file";
}

/// <param name="LapsedClaims">Claims whose lease ran out: ended before their files are deleted, so a straggler cannot commit.</param>
/// <param name="Retry">Uploads of lapsed claims still in drops/: sent through the gate again after the sweep.</param>
public sealed record SweepPlan(IReadOnlyList<Orphan> Orphans, IReadOnlyList<TableEntity> LapsedClaims, IReadOnlyList<string> Retry);

/// <summary>
/// Removes what crashed drops left behind, one audit row each (actor <c>pipeline:sweep</c>): curated files whose drop
/// has no committed ledger row listing them (an attempt that died, or a claim whose lease ran out), and staged temporary
/// files older than the claim lease. Part of the daily retention run and <c>pipeline retention</c>. Judged on the
/// injected clock, never on a retention "as of" day, so a live drop is never taken for a dead one.
/// </summary>
public sealed class OrphanSweep(PipelineStorage storage, DropLedger ledger, AuditLog audit, IOptions<IngestionOptions> options,
    TimeProvider clock, ILogger<OrphanSweep> logger)
{
    public const string Actor = "pipeline:sweep";

    public async Task<SweepPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lease = options.Value.ClaimLease;
        // Files first, the ledger after: a claim lists its files before writing them, so every file found here has its
        // row (with that list) in the ledger read below.
        var files = new List<BlobItem>();
        await foreach (var blob in storage.Container(StorageNames.CuratedContainer)
            .GetBlobsAsync(BlobTraits.None, BlobStates.None, null, cancellationToken))
            files.Add(blob);
        var rows = await ledger.AllAsync(cancellationToken);

        bool Lapsed(TableEntity r) => !DropLedger.IsCommitted(r)
            && (r.GetDateTimeOffset(DropLedger.ClaimedUntil) ?? DateTimeOffset.MinValue) <= now;
        var counted = rows.Where(r => DropLedger.IsAccepted(r) && r.GetDateTimeOffset(RetentionJob.CuratedDeletedAt) is null)
            .Concat(rows.Where(r => !DropLedger.IsCommitted(r) && !Lapsed(r)))
            .SelectMany(DropLedger.CuratedBlobsOf).ToHashSet(StringComparer.Ordinal);
        var byId = rows.ToLookup(r => r.RowKey, StringComparer.Ordinal);

        var orphans = new List<Orphan>();
        foreach (var file in files)
        {
            if (counted.Contains(file.Name)) continue;
            var dropId = Path.GetFileNameWithoutExtension(file.Name);
            var row = byId[dropId].FirstOrDefault();
            var reason = row switch
            {
                null => "no ledger row for its drop",
                _ when !DropLedger.IsCommitted(row) =>
                    $"its drop's attempt died: the claim lapsed at {row.GetDateTimeOffset(DropLedger.ClaimedUntil):O}",
                _ when row.GetString("Status") == ReceiptStatus.Rejected => "its drop was refused",
                _ => "not among its drop's committed files",
            };
            orphans.Add(new Orphan(OrphanKinds.Curated, file.Name, row?.PartitionKey, dropId, reason,
                Short(file.Properties.ETag?.ToString() ?? "")));
        }

        if (Directory.Exists(options.Value.StagingDirectory))
            foreach (var path in Directory.EnumerateFiles(options.Value.StagingDirectory, "yjp-*"))
            {
                var written = File.GetLastWriteTimeUtc(path);
                if (new DateTimeOffset(written, TimeSpan.Zero) + lease > now) continue;
                orphans.Add(new Orphan(OrphanKinds.Staged, Path.GetFileName(path), null, null,
                    $"staged file last written {written:yyyy-MM-dd HH:mm}Z, longer ago than a claim lasts",
                        Short(written.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }

        var lapsed = rows.Where(Lapsed).ToList();
        var retry = new List<string>();
        var drops = storage.Container(StorageNames.DropsContainer);
        foreach (var r in lapsed)
            if (r.GetString("BlobName") is { Length: > 0 } name && (await drops.GetBlobClient(name).ExistsAsync(cancellationToken))
                .Value) retry.Add(name);
        return new SweepPlan(orphans, lapsed, retry);
    }

    /// <summary>Ends the lapsed claims, then deletes each orphan after its audit row (a run stopped half-way is finished by the
    /// next).</summary>
    /// <returns>The orphans deleted.</returns>
    public async Task<IReadOnlyList<Orphan>> ApplyAsync(SweepPlan plan, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var moved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in plan.LapsedClaims)
            if (!await ledger.EndLapsedClaimAsync(claim, now, cancellationToken))
                moved.Add(claim.RowKey);

        var deleted = new List<Orphan>();
        var curated = storage.Container(StorageNames.CuratedContainer);
        foreach (var orphan in plan.Orphans)
        {
            // The drop was retried or committed since the plan was made: its files are judged again next time.
            if (orphan.DropId is { } id && moved.Contains(id)) continue;
            await audit.AppendAsync(new AuditEntry(orphan.DropId is { } d ? $"drop-{d}" : "sweep-staged",
                $"sweep-{orphan.Kind}-{Short(orphan.Name)}-{orphan.Version}",
                Actor, orphan.Kind == OrphanKinds.Curated ? $"deleted an orphaned curated file: {orphan.Reason}"
                    : $"deleted a stale staged file: {orphan.Reason}",
                null, 0, now, orphan.Kind == OrphanKinds.Curated ? $"{StorageNames.CuratedContainer}/{orphan.Name}" : orphan.Name),
                    cancellationToken);
            if (orphan.Kind == OrphanKinds.Curated)
                await curated.GetBlobClient(orphan.Name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots,
                    cancellationToken: cancellationToken);
            else
                DeleteStaged(orphan.Name);
            deleted.Add(orphan);
        }
        if (deleted.Count > 0) logger.LogInformation("Sweep: {Count} orphan(s) deleted", deleted.Count);
        return deleted;
    }

    private void DeleteStaged(string name)
    {
        try
        {
            File.Delete(Path.Combine(options.Value.StagingDirectory, name));
        }
        catch (IOException ex)
        {
            // Still open (Windows does not delete open files): its drop is alive after all.
            logger.LogWarning("Sweep: staged file not deleted: {Error}", ex.GetType().Name);
        }
    }

    private static string Short(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..12];
}
