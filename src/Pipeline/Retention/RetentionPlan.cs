namespace YouthJustice.Pipeline.Retention;

/// <summary>What a retention run deletes, as of a time: built by <see cref="RetentionJob.PlanAsync"/> (the dry run), carried out by <see
/// cref="RetentionJob.ApplyAsync"/>.</summary>
/// <param name="Sweep">What crashed drops left (<see cref="Ingestion.OrphanSweep"/>): swept by the same run.</param>
public sealed record RetentionPlan(
    DateTimeOffset AsOf,
    IReadOnlyList<RetentionDeletion> Deletions,
    IReadOnlyList<RetentionKept> Kept,
    IReadOnlyList<RetentionUnfinished> Unfinished,
    Ingestion.SweepPlan? Sweep = null)
{
    public bool IsEmpty => Deletions.Count == 0 && Unfinished.Count == 0;
}

public static class RetentionKinds
{
    /// <summary>The raw upload in <c>drops/{provider}/{dropType}/…</c>, past the agreement's RawDropDays.</summary>
    public const string RawDrop = "raw-drop";

    /// <summary>A drop's folder <c>quarantine/{dropId}/</c> (the refused file, its report, its errors), past QuarantineDays.</summary>
    public const string Quarantine = "quarantine";

    /// <summary>One curated file <c>curated/{dropType}/yot=…/period=…/{dropId}.parquet</c>, past CuratedDays.</summary>
    public const string Curated = "curated";
}

/// <summary>
/// One deletion: a raw drop, a quarantine folder or one curated file of one drop. <see cref="Blobs"/> are blob names
/// within <see cref="Container"/>; the raw and quarantined ones carry the sender's file name, so printers show only
/// their count (a file name is the sender's choice and could name a child). <see cref="Version"/> tells uploads of one
/// raw file apart (a short hash of the blob's ETag): a file re-sent in the same second is a second deletion.
/// <see cref="Receipts"/> are blobs of the <c>receipts</c> container that go with it: a quarantine folder takes the
/// drop's errors CSV, which repeats the sender's cells as the folder's errors.json does.
/// </summary>
public sealed record RetentionDeletion(
    string Kind,
    string Container,
    IReadOnlyList<string> Blobs,
    string Provider,
    string DropId,
    string? DropType,
    string? Agreement,
    string PolicyBasis,
    int RetentionDays,
    DateTimeOffset ArrivedAt,
    DateTimeOffset DueAt,
    long Rows,
    string? Yot = null,
    string? Period = null,
    string? Version = null,
    IReadOnlyList<string>? Receipts = null)
{
    /// <summary>The audit step of this deletion: the same deletion re-run after a crash finds its row.</summary>
    public string AuditStep => Kind switch
    {
        RetentionKinds.RawDrop => $"retention-raw-{ArrivedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Version}",
        RetentionKinds.Curated => $"retention-curated-{DropType}-{Period}",
        _ => $"retention-{Kind}",
    };
}

/// <summary>Something past a time limit, or of unknown limit, that the run keeps, and why.</summary>
public sealed record RetentionKept(string Kind, string Provider, string? DropId, string Reason);

/// <summary>
/// A drop whose curated files are gone but whose ledger row does not say so yet (a run stopped between deleting and
/// recording): the run asks for the recompute of its quarters and records the deletion.
/// </summary>
public sealed record RetentionUnfinished(string Provider, string DropId, string Yot, IReadOnlyList<string> Periods);

/// <summary>What a run did: the deletions carried out and the KPI recomputes asked for ({yot, period}, once each).</summary>
/// <param name="Swept">The orphans the sweep deleted; <paramref name="Retried"/>, the uploads of crashed drops sent through the gate
/// again.</param>
public sealed record RetentionResult(DateTimeOffset AsOf, IReadOnlyList<RetentionDeletion> Deleted,
    IReadOnlyList<(string Yot, string Period)> Recomputes,
    IReadOnlyList<RetentionKept> Kept, IReadOnlyList<Ingestion.Orphan>? Swept = null, IReadOnlyList<Ingestion.Receipt>? Retried = null);
