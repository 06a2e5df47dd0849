namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// KPI engine configuration (section "Kpis"). The areas' 10–17 populations are data, not configuration: see
/// <see cref="AreaPopulationStore"/> (<c>pipeline population load</c>).
/// </summary>
public sealed class KpiOptions
{
    public const string SectionName = "Kpis";

    /// <summary>Where the official wording and the YJB's implementation differ, which one is the headline: <c>official</c> or
    /// <c>yjb</c>.</summary>
    public string Headline { get; set; } = "official";

    /// <summary>
    /// Whether the KPI engine reads each YOT's current view (the latest record per identity, folded forward as drops
    /// commit) rather than every extract the YOT has ever sent. The results are the same; off only to measure the
    /// difference (<c>./bench --history</c>).
    /// </summary>
    public bool CurrentView { get; set; } = true;
}
