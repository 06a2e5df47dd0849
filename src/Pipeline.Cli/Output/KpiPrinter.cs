using System.Globalization;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>KPI results as a table for people, with each breakdown's groups beneath the headline.</summary>
public static class KpiPrinter
{
    public static void Print(TextWriter o, KpiSet set, bool breakdowns = true)
    {
        o.WriteLine($"KPIs for {set.Yot}, {set.Period} ({set.PeriodLabel}) — {set.EngineVersion}, from {set.SourceDrops.Count} drop(s)");
        o.WriteLine($"  {"KPI",-34} {"numerator",12} {"denominator",12} {"value",8}");
        foreach (var k in set.Kpis)
        {
            o.WriteLine($"  {k.Id,-34} {N(k.Numerator),12} {N(k.Denominator),12} {Percent(k.Value),8}");
            if (!breakdowns) continue;
            foreach (var (name, groups) in k.Breakdowns)
                o.WriteLine($"      {name,-14} " + string.Join("  ", groups.Select(g =>
                    $"{g.Group} {(g.Suppressed ? "c" : Percent(g.Value))} ({N(g.Numerator)}/{N(g.Denominator)})")));
        }
    }

    /// <summary>A fraction as a percentage; "x" (not available) where there is no denominator.</summary>
    public static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : "x";

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
