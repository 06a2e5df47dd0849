namespace YouthJustice.Pipeline.Kpis;

/// <summary>KPI engine configuration (section "Kpis"): what no drop carries.</summary>
public sealed class KpiOptions
{
    public const string SectionName = "Kpis";

    /// <summary>
    /// Per YOT, the 10–17 population of its area by calendar year (the ONS mid-year estimate), for the rates per
    /// population (KPI 9, first-time entrants, custody). A rate uses the previous year's estimate.
    /// </summary>
    public Dictionary<string, Dictionary<int, long>> Population { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where the official wording and the YJB's implementation differ, which one is the headline: <c>official</c> or <c>yjb</c>.</summary>
    public string Headline { get; set; } = "official";

    /// <summary>The 10–17 population of a YOT's area used for a quarter: the previous year's estimate, else the latest before it.</summary>
    public long? PopulationFor(string yot, int year) =>
        Population.TryGetValue(yot, out var byYear) && byYear.Where(kv => kv.Key < year).OrderByDescending(kv => kv.Key).FirstOrDefault() is { Value: > 0 } found
            ? found.Value : null;

    /// <summary>
    /// Whether the KPI engine reads each YOT's current view (the latest record per identity, folded forward as drops
    /// commit) rather than every extract the YOT has ever sent. The results are the same; off only to measure the
    /// difference (<c>./bench --history</c>).
    /// </summary>
    public bool CurrentView { get; set; } = true;
}
