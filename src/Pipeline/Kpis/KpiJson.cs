namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// KPI results in the shape of design.md §5 (a contract: fields may be added, never removed), one definition for
/// <c>pipeline kpis --json</c> and the API alike. Withheld, missing and zero stay three states: a withheld headline or
/// group has <c>suppressed: true</c> and null numerator, denominator and value; a missing one a denominator of 0 and a
/// null value; a zero a value of 0.
/// </summary>
public static class KpiJson
{
    /// <param name="disclosureControl">Whether small numbers were withheld from this set (what leaves the YOT).</param>
    public static object Set(KpiSet set, bool disclosureControl) => new
    {
        yot = set.Yot,
        period = set.Period,
        periodLabel = set.PeriodLabel,
        engineVersion = set.EngineVersion,
        disclosureControl,
        sourceDrops = set.SourceDrops,
        kpis = set.Kpis.Select(Kpi),
    };

    public static object Kpi(KpiResult k) => new
    {
        id = k.Id,
        title = KpiCatalogue.Title(k.Id),
        headline = KpiCatalogue.IsHeadline(k.Id),
        scale = k.Scale,
        numerator = k.Suppressed ? (long?)null : k.Numerator,
        denominator = k.Suppressed ? (long?)null : k.Denominator,
        value = k.Suppressed ? null : k.Value,
        suppressed = k.Suppressed,
        sourceDrops = k.SourceDrops,
        breakdowns = k.Breakdowns.ToDictionary(b => b.Key, b => b.Value.Select(g => new
        {
            group = g.Group,
            numerator = g.Suppressed ? (long?)null : g.Numerator,
            denominator = g.Suppressed ? (long?)null : g.Denominator,
            value = g.Suppressed ? null : g.Value * k.Scale,
            suppressed = g.Suppressed,
        })),
    };
}
