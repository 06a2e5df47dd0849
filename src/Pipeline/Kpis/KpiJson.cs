namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// KPI results in the shape of the KPI results contract in the README (a contract: fields may be added, never removed), one definition for
/// <c>pipeline kpis --json</c> and the API alike. Withheld, missing and zero stay three states: a withheld headline or
/// group has <c>suppressed: true</c> and null numerator, denominator and value; a missing one a denominator of 0 and a
/// null value; a zero a value of 0. Every KPI says what it counts (<c>unit</c>: the numerator's and denominator's units
/// and what the value is — a fraction, a rate per <c>scale</c>, or a ratio such as reoffences per child); hours are
/// given in hours.
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

    public static object Kpi(KpiResult k)
    {
        var units = KpiCatalogue.Units(k.Id);
        return new
        {
            id = k.Id,
            title = KpiCatalogue.Title(k.Id),
            headline = KpiCatalogue.IsHeadline(k.Id),
            scale = k.Scale,
            unit = Unit(units, k.Scale),
            numerator = k.Suppressed ? (double?)null : units.Shown(k.Numerator),
            denominator = k.Suppressed ? (double?)null : units.Shown(k.Denominator),
            value = k.Suppressed ? null : k.Value,
            suppressed = k.Suppressed,
            sourceDrops = k.SourceDrops,
            // The population estimate a rate was computed with: part of the result's provenance, like its drops.
            population = k.Population is { } p ? new { year = p.Year, population = p.Population, source = p.Source } : null,
            breakdowns = k.Breakdowns.ToDictionary(b => b.Key, b => b.Value.Select(g => new
            {
                group = g.Group,
                numerator = g.Suppressed ? (double?)null : units.Shown(g.Numerator),
                denominator = g.Suppressed ? (double?)null : units.Shown(g.Denominator),
                value = g.Suppressed ? null : g.Value * k.Scale,
                suppressed = g.Suppressed,
            })),
        };
    }

    /// <summary>The <c>unit</c> object: what the numerator and denominator count, and what the value is.</summary>
    public static object Unit(KpiUnits units, double scale) =>
        new { numerator = units.Numerator, denominator = units.Denominator, value = units.Value(scale) };
}
