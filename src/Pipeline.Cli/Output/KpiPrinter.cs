using System.Globalization;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>
/// KPI results as a table for people: titles from the catalogue, fractions as percentages, rates "per 10,000" etc.,
/// and the government statistical symbols — <c>c</c> withheld for confidentiality, <c>x</c> not available (no
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
            o.WriteLine($"  {Fit(indent + KpiCatalogue.Title(k.Id), 70),-70} {Count(k.Numerator, k.Suppressed),10} {Count(k.Denominator, k.Suppressed),12} {Value(k.Value, k.Scale, k.Suppressed),20}");
            o.WriteLine($"  {indent}  [{k.Id}]");
            if (!breakdowns) continue;
            foreach (var (name, groups) in k.Breakdowns)
                o.WriteLine($"  {indent}    {name,-22} " + string.Join("  ", groups.Select(g => g.Suppressed
                    ? $"{g.Group} {Withheld}"
                    : $"{g.Group} {Value(g.Value * k.Scale, k.Scale, false)} ({Count(g.Numerator, false)}/{Count(g.Denominator, false)})")));
        }
        o.WriteLine($"  {Withheld} = withheld to protect confidentiality; {NotAvailable} = not available (no one in the denominator); {Low} = above zero but below the precision shown.");
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
            var title = scale == 1 ? KpiCatalogue.Title(id) : $"{KpiCatalogue.Title(id)} (per {scale.ToString("N0", CultureInfo.InvariantCulture)})";
            var cells = results.Select(k => k is null ? NotAvailable : Value(k.Value, k.Scale, k.Suppressed, brief: true));
            o.WriteLine($"  {Fit(title, 60),-60} " + string.Join(" ", cells.Select(c => $"{c,12}")));
        }
        o.WriteLine($"  {Withheld} = withheld to protect confidentiality; {NotAvailable} = not available; {Low} = above zero but below the precision shown.");
    }

    private static IEnumerable<KpiResult> Shown(KpiSet set, bool all) =>
        set.Kpis.Where(k => all || KpiCatalogue.IsHeadline(k.Id))
            .OrderBy(k => KpiCatalogue.DisplayRank(k.Id)).ThenBy(k => k.Id, StringComparer.Ordinal);

    /// <summary>A fraction as a percentage, a scaled rate as "per 10,000"; <c>c</c> withheld, <c>x</c> no denominator, <c>low</c> below the precision.</summary>
    public static string Value(double? value, double scale, bool suppressed, bool brief = false)
    {
        if (suppressed) return Withheld;
        if (value is not { } v) return NotAvailable;
        if (scale == 1)
            return v > 0 && Math.Round(v * 100, 1) == 0 ? Low : Percent(v);
        if (v > 0 && Math.Round(v, 1) == 0) return Low;
        var number = v.ToString("N1", CultureInfo.InvariantCulture);
        return brief ? number : $"{number} per {scale.ToString("N0", CultureInfo.InvariantCulture)}";
    }

    /// <summary>A fraction as a percentage; "x" (not available) where there is no denominator.</summary>
    public static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : NotAvailable;

    private static string Count(long n, bool suppressed) => suppressed ? Withheld : n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Fit(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");
}
