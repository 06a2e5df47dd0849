using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Parquet;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Retention;

/// <summary>
/// Entry point of the <c>ApplyRetention</c> stage (daily timer; <c>pipeline retention</c>): deletes what each
/// agreement's <see cref="RetentionPolicy"/> says must not be kept any longer, with one audit row per deletion.
/// <list type="bullet">
/// <item><b>Raw drops</b> (<c>drops/{provider}/…</c>): RawDropDays after the upload's arrival (its LastModified, the
/// ledger's ReceivedAt). Only uploads the ledger has finished with: an unprocessed upload is kept and reported. A
/// copy re-sent after its first copy was processed (answered <c>duplicate</c>) goes RawDropDays after its own arrival.</item>
/// <item><b>Quarantine</b> (<c>quarantine/{dropId}/</c>, and the drop's errors CSV beside its receipt, which lists the
/// same findings with the sender's cells): QuarantineDays after the drop's arrival.</item>
/// <item><b>Curated files</b> (one per drop and quarter): CuratedDays after the drop's arrival, then a
/// <c>kpi-recompute</c> {yot, period} for each quarter whose data went, as the ingestor asks after a new drop.</item>
/// </list>
/// The policy is that of the agreement the drop arrived under (the ledger's <c>Agreement</c>). If that agreement is no
/// longer loaded, the strictest of the provider's current agreements applies (the shortest time of each kind): data
/// no agreement covers any more should not outlive what the provider agreed to. A provider with no agreement at all
/// keeps its data, and the run reports it (<see cref="RetentionPlan.Kept"/>) for a person to decide.
/// The ledger row stays, marked <c>RawDeletedAt</c> / <c>QuarantineDeletedAt</c> / <c>CuratedDeletedAt</c>, so a file
/// sent again is still recognised as a duplicate. Receipts are kept: they are the provider's record of what it sent and
/// what was done with it (counts, rule codes, line numbers, no identifiers), and the duplicate answer to a re-sent file
/// is built from the receipt.
/// Idempotent: a second run finds nothing due; a run stopped half-way is finished by the next (audit rows are keyed
/// by drop and step, so they are not written twice).
/// The same run sweeps what crashed drops left (<see cref="OrphanSweep"/>) and sends the uploads of drops whose claim
/// lapsed through the gate again, so a drop whose worker died is finished without anyone re-sending it.
/// </summary>
public sealed class RetentionJob(PipelineStorage storage, AgreementStore agreements, AuditLog audit, OrphanSweep sweep,
    KpiRecomputeMarkers recompute,
    DropIngestor ingestor, ILogger<RetentionJob> logger) : IScheduledJob
{
    public const string Actor = "pipeline:retention";

    public string Name => Triggers.ApplyRetentionFunction;
    public string ScheduleSetting => Triggers.RetentionSchedule;
    public string DefaultSchedule => Triggers.RetentionDefaultSchedule;

    /// <summary>The timer's run: plan as of <paramref name="now"/> and apply.</summary>
    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await ApplyAsync(await PlanAsync(now, cancellationToken), cancellationToken);

    /// <summary>The dry run: what would go as of <paramref name="now"/>. Reads only.</summary>
    public async Task<RetentionPlan> PlanAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policies = new Policies(await agreements.AllAsync(cancellationToken));
        var ledger = new List<TableEntity>();
        await foreach (var e in storage.Table(StorageNames.DropsTable)
            .QueryAsync<TableEntity>(cancellationToken: cancellationToken)) ledger.Add(e);
        var final = ledger.Where(DropLedger.IsFinal).ToList();

        var deletions = new List<RetentionDeletion>();
        var kept = new List<RetentionKept>();
        var unfinished = new List<RetentionUnfinished>();
        await PlanRawAsync(now, policies, final, deletions, kept, cancellationToken);
        await PlanQuarantineAsync(now, policies, final, deletions, kept, cancellationToken);
        await PlanCuratedAsync(now, policies, final, deletions, kept, unfinished, cancellationToken);
        return new RetentionPlan(now, deletions, kept, unfinished, await sweep.PlanAsync(cancellationToken));
    }

    /// <summary>Carries a plan out: per deletion, its audit row, then the blobs; then the recomputes and the ledger marks.</summary>
    public async Task<RetentionResult> ApplyAsync(RetentionPlan plan, CancellationToken cancellationToken)
    {
        var drops = storage.Table(StorageNames.DropsTable);
        var recomputes = new List<(string Yot, string Period)>();
        void Recompute(string yot, string period)
        {
            if (!recomputes.Contains((yot, period))) recomputes.Add((yot, period));
        }

        foreach (var d in plan.Deletions)
        {
            // Audit first: a run stopped after the audit row re-deletes and finds the row there; the other order
            // could leave a deletion nobody recorded.
            await audit.AppendAsync(AuditOf(d, plan.AsOf), cancellationToken);
            var container = storage.Container(d.Container);
            foreach (var blob in d.Blobs) await container.GetBlobClient(blob)
                .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            foreach (var blob in d.Receipts ?? [])
                await storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(blob)
                    .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            if (d.Kind == RetentionKinds.Curated && d.Yot is not null && d.Period is not null)
            {
                // The view folds the deleted rows in: forget it, so a recompute before the ledger mark below rebuilds
                // it from the files still there, as a read of every file would.
                if (d.DropType is not null) await Kpis.Data.CurrentView.InvalidateAsync(storage, d.Yot, d.DropType, cancellationToken);
                Recompute(d.Yot, d.Period);
            }
        }
        foreach (var u in plan.Unfinished)
            foreach (var period in u.Periods) Recompute(u.Yot, period);

        // The recompute requests before the ledger marks: a run stopped in between finds the drop unfinished and asks again.
        foreach (var byYot in recomputes.GroupBy(r => r.Yot, StringComparer.Ordinal))
            await recompute.RequestAsync(byYot.Key, byYot.Select(r => r.Period), cancellationToken);

        foreach (var d in plan.Deletions.DistinctBy(d => (d.Provider, d.DropId, d.Kind)))
            await MarkAsync(drops, d.Provider, d.DropId, MarkOf(d.Kind), plan.AsOf, cancellationToken);
        foreach (var u in plan.Unfinished)
            await MarkAsync(drops, u.Provider, u.DropId, CuratedDeletedAt, plan.AsOf, cancellationToken);
        // And again after them: a recompute that read a deleted file (or a view folding it) before it went may have
        // cleared the first request; one asked now rebuilds the view without the drops the ledger no longer counts.
        foreach (var byYot in recomputes.GroupBy(r => r.Yot, StringComparer.Ordinal))
            await recompute.RequestAsync(byYot.Key, byYot.Select(r => r.Period), cancellationToken);

        var swept = plan.Sweep is null ? [] : await sweep.ApplyAsync(plan.Sweep, cancellationToken);
        var retried = new List<Receipt>();
        foreach (var blobName in plan.Sweep?.Retry ?? [])
        {
            try
            {
                retried.Add(await ingestor.IngestAsync(blobName, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Retention: a crashed drop sent again failed ({Error}); the next run tries again", ex.GetType().Name);
            }
        }

        logger.LogInformation(
            "Retention as of {AsOf}: {Raw} raw drop(s), {Quarantine} quarantine folder(s), {Curated} curated file(s) deleted; " +
            "{Recomputes} KPI recompute(s) asked; {Kept} item(s) kept for review; {Swept} orphan(s) swept; {Retried} crashed drop(s) " +
            "sent again",
            plan.AsOf, plan.Deletions.Count(d => d.Kind == RetentionKinds.RawDrop),
                plan.Deletions.Count(d => d.Kind == RetentionKinds.Quarantine),
            plan.Deletions.Count(d => d.Kind == RetentionKinds.Curated), recomputes.Count, plan.Kept.Count, swept.Count, retried.Count);
        return new RetentionResult(plan.AsOf, plan.Deletions, recomputes, plan.Kept, swept, retried);
    }

    public const string RawDeletedAt = "RawDeletedAt";
    public const string QuarantineDeletedAt = "QuarantineDeletedAt";
    public const string CuratedDeletedAt = "CuratedDeletedAt";

    private static string MarkOf(string kind) => kind switch
    {
        RetentionKinds.RawDrop => RawDeletedAt,
        RetentionKinds.Quarantine => QuarantineDeletedAt,
        _ => CuratedDeletedAt,
    };

    private static async Task MarkAsync(TableClient drops, string provider, string dropId, string property, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        try
        {
            await drops.UpdateEntityAsync(new TableEntity(provider, dropId) { [property] = at }, ETag.All, TableUpdateMode.Merge,
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // A quarantine folder without a ledger row is never planned; nothing to mark.
        }
    }

    private static AuditEntry AuditOf(RetentionDeletion d, DateTimeOffset at)
    {
        var what = d.Kind switch
        {
            RetentionKinds.RawDrop => $"deleted the raw drop ({d.Blobs.Count} blob(s)): {d.RetentionDays} day(s) raw retention passed",
            RetentionKinds.Quarantine =>
                $"deleted the quarantined drop ({d.Blobs.Count} blob(s), and its errors CSV if any): {d.RetentionDays} day(s) quarantine " +
                $"retention passed",
            _ => $"deleted curated {d.DropType} rows of {d.Period} (1 file): {d.RetentionDays} day(s) curated retention passed",
        };
        return new AuditEntry($"drop-{d.DropId}", d.AuditStep, Actor, what, d.Agreement, d.Rows, at,
            $"provider {d.Provider}; arrived {d.ArrivedAt:O}; due {d.DueAt:O}; policy: {d.PolicyBasis}");
    }

    private async Task PlanRawAsync(DateTimeOffset now, Policies policies, List<TableEntity> final, List<RetentionDeletion> deletions,
        List<RetentionKept> kept, CancellationToken cancellationToken)
    {
        var container = storage.Container(StorageNames.DropsContainer);
        var byBlob = final.Where(e => e.GetString("BlobName") is { Length: > 0 })
            .ToLookup(e => (e.PartitionKey, e.GetString("BlobName")!));
        Dictionary<string, TableEntity>? byId = null;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, cancellationToken))
        {
            var provider = blob.Name.Split('/')[0];
            var arrived = blob.Properties.LastModified ?? now;
            if (!policies.Any(provider))
            {
                kept.Add(new RetentionKept(RetentionKinds.RawDrop, provider, null,
                    "the provider has no agreement, so no retention applies; review by hand"));
                continue;
            }
            // The shortest raw time of the provider's agreements bounds the candidates, so young uploads are not read.
            if (arrived.AddDays(policies.Strictest(provider).RawDropDays) > now) continue;

            var row = byBlob[(provider, blob.Name)].FirstOrDefault(e => Near(e.GetDateTimeOffset("ReceivedAt"), arrived));
            if (row is null)
            {
                // Not the upload the ledger row of this name records: a copy sent again, or one not processed yet.
                byId ??= final.GroupBy(e => (e.PartitionKey, e.RowKey))
                    .ToDictionary(g => $"{g.Key.PartitionKey}/{g.Key.RowKey}", g => g.First());
                var id = await HashAsync(container.GetBlobClient(blob.Name), provider, blob.Name.Split('/') is { Length: > 1 } parts
                    ? parts[1] : "", cancellationToken);
                if (!byId.TryGetValue($"{provider}/{id}", out row))
                {
                    kept.Add(new RetentionKept(RetentionKinds.RawDrop, provider, id,
                        "not processed yet (no finished ledger row); kept until it is"));
                    continue;
                }
            }
            var (policy, basis) = policies.For(provider, row.GetString("Agreement"));
            var due = arrived.AddDays(policy.RawDropDays);
            if (due > now) continue;
            deletions.Add(new RetentionDeletion(RetentionKinds.RawDrop, StorageNames.DropsContainer, [blob.Name], provider, row.RowKey,
                row.GetString("DropType"), row.GetString("Agreement"), basis, policy.RawDropDays, arrived, due,
                    DropLedger.CountsOf(row)?.Read ?? 0,
                Version: Convert.ToHexStringLower(
                    SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(blob.Properties.ETag?.ToString() ?? "")))[..8]));
        }
    }

    private async Task PlanQuarantineAsync(DateTimeOffset now, Policies policies, List<TableEntity> final,
        List<RetentionDeletion> deletions,
        List<RetentionKept> kept, CancellationToken cancellationToken)
    {
        var folders = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var blob in storage.Container(StorageNames.QuarantineContainer)
            .GetBlobsAsync(BlobTraits.None, BlobStates.None, null, cancellationToken))
        {
            var dropId = blob.Name.Split('/')[0];
            if (!folders.TryGetValue(dropId, out var list)) folders[dropId] = list = [];
            list.Add(blob.Name);
        }
        var byId = final.ToLookup(e => e.RowKey);
        foreach (var (dropId, blobs) in folders)
        {
            var row = byId[dropId].FirstOrDefault();
            if (row is null)
            {
                kept.Add(new RetentionKept(RetentionKinds.Quarantine, "", dropId,
                    "no finished ledger row for this drop, so its arrival and agreement are unknown; review by hand"));
                continue;
            }
            var provider = row.PartitionKey;
            if (!policies.Any(provider))
            {
                kept.Add(new RetentionKept(RetentionKinds.Quarantine, provider, dropId,
                    "the provider has no agreement, so no retention applies; review by hand"));
                continue;
            }
            var (policy, basis) = policies.For(provider, row.GetString("Agreement"));
            var arrived = row.GetDateTimeOffset("ReceivedAt") ?? now;
            var due = arrived.AddDays(policy.QuarantineDays);
            if (due > now) continue;
            var counts = DropLedger.CountsOf(row) ?? default;
            var rows = row.GetString("Status") == ReceiptStatus.Rejected ? counts.Read : counts.Rejected;
            deletions.Add(new RetentionDeletion(RetentionKinds.Quarantine, StorageNames.QuarantineContainer, blobs, provider, dropId,
                row.GetString("DropType"), row.GetString("Agreement"), basis, policy.QuarantineDays, arrived, due, rows,
                Receipts: [DropLedger.ErrorsCsvBlobName(provider, dropId)]));
        }
    }

    private async Task PlanCuratedAsync(DateTimeOffset now, Policies policies, List<TableEntity> final, List<RetentionDeletion> deletions,
        List<RetentionKept> kept, List<RetentionUnfinished> unfinished, CancellationToken cancellationToken)
    {
        var container = storage.Container(StorageNames.CuratedContainer);
        foreach (var row in final)
        {
            var files = (row.GetString("CuratedBlobs") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
            // Marked only after every file went (a drop's files share one due date): nothing left to look at.
            if (files.Length == 0 || row.GetDateTimeOffset(CuratedDeletedAt) is not null) continue;
            var provider = row.PartitionKey;
            if (!policies.Any(provider))
            {
                kept.Add(new RetentionKept(RetentionKinds.Curated, provider, row.RowKey,
                    "the provider has no agreement, so no retention applies; review by hand"));
                continue;
            }
            var (policy, basis) = policies.For(provider, row.GetString("Agreement"));
            var arrived = row.GetDateTimeOffset("ReceivedAt") ?? now;
            var due = arrived.AddDays(policy.CuratedDays);
            if (due > now) continue;

            var present = 0;
            foreach (var file in files)
            {
                var blob = container.GetBlobClient(file);
                var rows = await RowCountAsync(blob, cancellationToken);
                if (rows is null) continue;
                present++;
                var (yot, period) = Partition(file);
                deletions.Add(new RetentionDeletion(RetentionKinds.Curated, StorageNames.CuratedContainer, [file], provider, row.RowKey,
                    row.GetString("DropType"), row.GetString("Agreement"), basis, policy.CuratedDays, arrived, due, rows.Value, yot,
                        period));
            }
            if (present == 0 && row.GetString("Yot") is { Length: > 0 } dropYot)
                unfinished.Add(new RetentionUnfinished(provider, row.RowKey, dropYot,
                    files.Select(f => Partition(f).Period).OfType<string>().Distinct(StringComparer.Ordinal).ToList()));
        }
    }

    /// <summary>The yot= and period= partitions of a curated blob name.</summary>
    public static (string? Yot, string? Period) Partition(string curatedBlob)
    {
        string? yot = null, period = null;
        foreach (var part in curatedBlob.Split('/'))
        {
            if (part.StartsWith("yot=", StringComparison.Ordinal)) yot = part[4..];
            else if (part.StartsWith("period=", StringComparison.Ordinal)) period = part[7..];
        }
        return (yot, period);
    }

    /// <summary>The file's row count from its Parquet footer; null when the file is gone.</summary>
    private static async Task<long?> RowCountAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await blob.OpenReadAsync(cancellationToken: cancellationToken);
            await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
            return reader.Metadata?.NumRows ?? 0;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static bool Near(DateTimeOffset? a, DateTimeOffset b) => a is { } x && (x - b).Duration() < TimeSpan.FromSeconds(1);

    private static async Task<string> HashAsync(BlobClient blob, string provider, string dropType, CancellationToken cancellationToken)
    {
        await using var content = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
        return await DropLedger.DropIdAsync(provider, dropType, content, cancellationToken);
    }

    /// <summary>The agreements' retention, by provider.</summary>
    private sealed class Policies(IReadOnlyList<Agreement> all)
    {
        private readonly ILookup<string, Agreement> _byProvider = all.ToLookup(a => a.Provider.Id, StringComparer.Ordinal);

        public bool Any(string provider) => _byProvider[provider].Any();

        /// <summary>The shortest time of each kind among the provider's agreements.</summary>
        public RetentionPolicy Strictest(string provider)
        {
            var list = _byProvider[provider].Select(a => a.Retention).ToList();
            return new RetentionPolicy
            {
                RawDropDays = list.Min(p => p.RawDropDays),
                QuarantineDays = list.Min(p => p.QuarantineDays),
                CuratedDays = list.Min(p => p.CuratedDays),
            };
        }

        public (RetentionPolicy Policy, string Basis) For(string provider, string? agreementId)
        {
            if (agreementId is not null && _byProvider[provider].FirstOrDefault(a => a.Id == agreementId) is { } agreement)
                return (agreement.Retention, $"agreement {agreement.Id}");
            var count = _byProvider[provider].Count();
            return (Strictest(provider), agreementId is null
                ? $"no agreement recorded for the drop: strictest of the provider's {count} agreement(s)"
                : $"agreement {agreementId} no longer loaded: strictest of the provider's {count} agreement(s)");
        }
    }
}
