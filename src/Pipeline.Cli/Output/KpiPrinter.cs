using System.Globalization;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>
/// KPI results as a table for people: titles from the catalogue, fractions as percentages, rates "per 10,000" etc.,
/// ratios "per child", each KPI's units under its title (hours shown in hours), and the government statistical symbols — <c>c</c> withheld
/// for confidentiality, <c>x</c> not available (no
/// denominator), <c>low</c> above zero but below the precision shown. Withheld, missing and zero never look alike.
/// </summary>
public static class KpiPrinter
{
    public const string Withheld = "c";
    public const string NotAvailable = "x";
    public const string Low = "low";

    /// <param name="all">Every KPI with its sub-measures; otherwise the headlines only.</param>
    public static void Print(TextWriter o, KpiSet set, bool breakdowns = true, bool all = true)
    {
        o.WriteLine($"KPIs for {set.Yot}, {set.Period} ({set.PeriodLabel}) — {set.EngineVersion}, from {set.SourceDrops.Count} drop(s)");
        o.WriteLine($"  {"KPI",-70} {"numerator",10} {"denominator",12} {"value",20}");
        foreach (var k in Shown(set, all))
        {
            var indent = KpiCatalogue.IsHeadline(k.Id) ? "" : "  ";
            var units = KpiCatalogue.Units(k.Id);
            o.WriteLine(
                $"  {Fit(indent + KpiCatalogue.Title(k.Id), 70),-70} {Count(units, k.Numerator, k.Suppressed),10} " +
                $"{Count(units, k.Denominator, k.Suppressed),12} {Value(k.Value, units, k.Scale, k.Suppressed),20}");
            o.WriteLine($"  {indent}  [{k.Id}] {UnitLine(units, k.Scale)}");
            if (units.Kind == ValueKind.Rate)
                o.WriteLine($"  {indent}  {PopulationLine(k.Population)}");
            if (!breakdowns) continue;
            foreach (var (name, groups) in k.Breakdowns)
                o.WriteLine($"  {indent}    {name,-22} " + string.Join("  ", groups.Select(g => g.Suppressed
                    ? $"{g.Group} {Withheld}"
                    : $"{g.Group} {Value(g.Value * k.Scale, units, k.Scale, false)} " +
                        $"({Count(units, g.Numerator, false)}/{Count(units, g.Denominator, false)})")));
        }
        o.WriteLine(
            $"  {Withheld} = withheld to protect confidentiality; {NotAvailable} = not available (no one in the denominator); {Low} = " +
            $"above zero but below the precision shown.");
    }

    /// <summary>
    /// The headlines' last quarters side by side, one row per KPI and one column per quarter (oldest first), so a board
    /// sees direction rather than a snapshot. A quarter with no results for a KPI shows <c>x</c>.
    /// </summary>
    public static void PrintTrend(TextWriter o, string yot, IReadOnlyList<KpiSet> sets, bool all = false)
    {
        if (sets.Count == 0)
        {
            o.WriteLine($"No KPI results stored for {yot} in these quarters.");
            return;
        }
        o.WriteLine($"KPI trend for {yot}, {sets[0].Period} to {sets[^1].Period} ({sets.Count} quarter(s) with results)");
        o.WriteLine($"  {"KPI",-60} " + string.Join(" ", sets.Select(s => $"{s.Period,12}")));
        var ids = sets.SelectMany(s => Shown(s, all)).Select(k => k.Id).Distinct(StringComparer.Ordinal)
            .OrderBy(KpiCatalogue.DisplayRank).ThenBy(id => id, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var results = sets.Select(s => s.Kpis.FirstOrDefault(k => k.Id == id)).ToList();
            var scale = results.First(k => k is not null)!.Scale;
            var units = KpiCatalogue.Units(id);
            var title = units.Kind == ValueKind.Fraction ? KpiCatalogue.Title(id) : $"{KpiCatalogue.Title(id)} ({units.Value(scale)})";
            var cells = results.Select(k => k is null ? NotAvailable : Value(k.Value, units, k.Scale, k.Suppressed, brief: true));
            o.WriteLine($"  {Fit(title, 60),-60} " + string.Join(" ", cells.Select(c => $"{c,12}")));
        }
        o.WriteLine(
            $"  {Withheld} = withheld to protect confidentiality; {NotAvailable} = not available; {Low} = above zero but below the " +
            $"precision shown.");
    }

    private static IEnumerable<KpiResult> Shown(KpiSet set, bool all) =>
        set.Kpis.Where(k => all || KpiCatalogue.IsHeadline(k.Id))
            .OrderBy(k => KpiCatalogue.DisplayRank(k.Id)).ThenBy(k => k.Id, StringComparer.Ordinal);

    /// <summary>
    /// A fraction as a percentage, a rate as "12.3 per 10,000", a ratio as "1.25 per child"; <c>c</c> withheld, <c>x</c>
    /// no denominator, <c>low</c> below the precision.
    /// </summary>
    public static string Value(double? value, KpiUnits units, double scale, bool suppressed, bool brief = false)
    {
        if (suppressed) return Withheld;
        if (value is not { } v) return NotAvailable;
        switch (units.Kind)
        {
            case ValueKind.Fraction:
                return v > 0 && Math.Round(v * 100, 1) == 0 ? Low : Percent(v);
            case ValueKind.Ratio:
                if (v > 0 && Math.Round(v, 2) == 0) return Low;
                var ratio = v.ToString("N2", CultureInfo.InvariantCulture);
                return brief ? ratio : $"{ratio} per {units.Per ?? units.Denominator}";
            default:
                if (v > 0 && Math.Round(v, 1) == 0) return Low;
                var number = v.ToString("N1", CultureInfo.InvariantCulture);
                return brief ? number : $"{number} per {scale.ToString("N0", CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>Which 10–17 population estimate a rate used: its figure, year and source (or that none is loaded).</summary>
    public static string PopulationLine(PopulationBasis? population) => population is { } p
        ? $"10-17 population {p.Population.ToString("N0", CultureInfo.InvariantCulture)}, " +
            $"{p.Year.ToString(CultureInfo.InvariantCulture)} estimate ({p.Source})"
        : "no 10-17 population loaded for the year before: load one with 'pipeline population load FILE'";

    /// <summary>What the figures count, under each KPI: "hours ÷ hours", "serious violent offences per 10,000 children aged 10-17 in the
    /// area".</summary>
    public static string UnitLine(KpiUnits units, double scale) => units.Kind switch
    {
        ValueKind.Rate => $"{units.Numerator} {units.Value(scale)}",
        ValueKind.Ratio => $"{units.Value(scale)} ({units.Numerator} ÷ {units.Denominator})",
        _ => $"{units.Numerator} ÷ {units.Denominator}",
    };

    /// <summary>A fraction as a percentage; "x" (not available) where there is no denominator.</summary>
    public static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture)
        .Replace(" ", "", StringComparison.Ordinal) : NotAvailable;

    private static string Count(KpiUnits units, long n, bool suppressed) => suppressed ? Withheld : units.Format(n);

    private static string Fit(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");
}
