namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// KPI engine configuration (section "Kpis"). The areas' 10–17 populations are data, not configuration: see
/// <see cref="AreaPopulationStore"/> (<c>pipeline population load</c>).
/// </summary>
public sealed class KpiOptions
{
    public const string SectionName = "Kpis";

    /// <summary>Where the official wording and the YJB's implementation differ, which one is the headline: <c>official</c> or <c>yjb</c>.</summary>
    public string Headline { get; set; } = "official";
}
