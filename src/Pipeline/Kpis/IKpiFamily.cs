namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// One KPI with its sub-measures (docs/kpis.md: a YJB KPI, a national indicator, a group of ETE board measures). The engine
/// finds every family in the library, so adding a KPI is adding one class: nothing else to register. What the outputs
/// need to know about a measure beyond its figures — the drop types it is computed from, the time point the return
/// files it under — is declared on its <see cref="KpiDefinition"/>, next to the code that computes it.
/// </summary>
public interface IKpiFamily
{
    /// <summary>What the family computes, in the order the specification lists them; the headline first.</summary>
    IReadOnlyList<KpiDefinition> Definitions { get; }

    /// <summary>The results of <see cref="Definitions"/> for the context's YOT and quarter; deterministic.</summary>
    Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A KPI or sub-measure. <see cref="Rank"/> orders results as the specification lists them (KPI 1 = 100, its
/// sub-measures 101…; national indicators 1100…; ETE board measures 1200…). <see cref="Headline"/> results are shown
/// by default, sub-measures with <c>--all</c>. <see cref="Units"/> says what the figures count (children, unless given).
/// </summary>
public sealed record KpiDefinition(string Id, int Rank, string Title, bool Headline = true, double Scale = 1, string? Parent = null,
    KpiUnits? Units = null)
{
    /// <summary>
    /// The drop types (<see cref="DropTypes"/>, as named in <c>schemas/drops</c>) whose data the figure is computed from:
    /// the board pack marks the figure as limited when a provider's drop of one of them is missing or refused.
    /// </summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The time point in the order the measure is judged at, where it is one; the YJB return files its row under it.</summary>
    public KpiSplit? Split { get; init; }
}

/// <summary>When in a child's order a measure is judged: the return's <c>split</c> column (<c>start</c>, <c>end</c>,
/// <c>during</c>).</summary>
public enum KpiSplit
{
    Start,
    End,
    During,
}
