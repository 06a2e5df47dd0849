using System.Diagnostics.Metrics;

namespace YouthJustice.Pipeline.Hosting;

/// <summary>
/// The pipeline's counters (meter <c>YouthJustice.Pipeline</c>): what the work costs, for the benchmark, the tests
/// and Application Insights alike. Static, as a <see cref="Meter"/> is meant to be: every listener sees every instance.
/// </summary>
public static class PipelineMetrics
{
    public const string MeterName = "YouthJustice.Pipeline";
    private static readonly Meter Meter = new(MeterName);

    /// <summary>One per YOT-quarter whose KPIs were computed and stored (tagged <c>yot</c>, <c>period</c>).</summary>
    public static readonly Counter<long> KpiRecomputes = Meter.CreateCounter<long>("pipeline.kpi.recomputes");

    /// <summary>Blobs the work downloads — curated files, current views, receipts, quality tallies (tagged <c>container</c>).</summary>
    public static readonly Counter<long> BlobsRead = Meter.CreateCounter<long>("pipeline.blobs.read");

    /// <summary>Counts one download from <paramref name="container"/>.</summary>
    public static void BlobRead(string container) => BlobsRead.Add(1, new KeyValuePair<string, object?>("container", container));
}
