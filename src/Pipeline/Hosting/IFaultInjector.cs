namespace YouthJustice.Pipeline.Hosting;

/// <summary>
/// Named points between the writes of a drop and of a KPI recompute, where the fault-injection tests stop the work
/// as a crash would. In production the injector is <see cref="NoFaults"/>: every point is a no-op.
/// </summary>
public interface IFaultInjector
{
    ValueTask AtAsync(string point, CancellationToken cancellationToken);
}

public sealed class NoFaults : IFaultInjector
{
    public ValueTask AtAsync(string point, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>The points, in the order a drop and a recompute pass them.</summary>
public static class FaultPoints
{
    /// <summary>The raw upload is in drops/ and the drop is claimed; nothing else written.</summary>
    public const string DropClaimed = "drop:claimed";

    /// <summary>After each curated file: with several files, the first is written and the rest are not.</summary>
    public const string CuratedFileWritten = "drop:curated-file-written";

    /// <summary>Every curated file is written; no receipt, no ledger commit.</summary>
    public const string CuratedWritten = "drop:curated-written";

    /// <summary>The receipt is written; the ledger does not say done yet.</summary>
    public const string ReceiptWritten = "drop:receipt-written";

    /// <summary>The ledger says done; no KPI recompute asked for yet.</summary>
    public const string DropCommitted = "drop:committed";

    /// <summary>The KPIs are computed in memory; nothing stored.</summary>
    public const string KpisComputed = "recompute:computed";

    /// <summary>kpis.parquet is written; the KpiResults rows are not.</summary>
    public const string KpiParquetWritten = "recompute:parquet-written";

    /// <summary>Both are written; the recompute marker is not cleared.</summary>
    public const string KpisStored = "recompute:stored";

    public static IReadOnlyList<string> Drop { get; } = [DropClaimed, CuratedFileWritten, CuratedWritten, ReceiptWritten, DropCommitted];
    public static IReadOnlyList<string> Recompute { get; } = [KpisComputed, KpiParquetWritten, KpisStored];
}
