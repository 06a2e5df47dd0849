namespace YouthJustice.Pipeline.Ingestion;

/// <summary>How drops are claimed (configuration section <c>Ingestion</c>, e.g. app setting <c>Ingestion__ClaimLease</c>).</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>
    /// How long a worker's claim on a drop holds. While it holds, the same drop sent again is answered <c>duplicate</c>;
    /// once it has run out, the claim is taken to be a crashed attempt: the next delivery (or the orphan sweep) takes
    /// the drop over. Default 10 minutes, the Functions host's timeout, so a live invocation never outlasts its claim.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Where a drop's rows are staged as Parquet while it is read, and where the orphan sweep looks for what a killed
    /// process left (<see cref="OrphanSweep"/>). Default <c>$TMPDIR/yjp-staging</c>; each process's own folder, made
    /// readable by its user alone. Every process that shares one should share its clock too: the sweep judges a file
    /// stale by its age.
    /// </summary>
    public string StagingDirectory { get; set; } = Curated.StagedParquetFile.DefaultStagingDirectory;
}
