using System.Globalization;
using YouthJustice.Pipeline.Quality;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>A data-quality report as a board member's analyst reads it in a terminal: what is missing first, then per drop type, then each
/// drop.</summary>
public static class QualityPrinter
{
    public static void Print(TextWriter o, QualityReport r)
    {
        var who = r.ProviderName is null ? r.Provider : $"{r.ProviderName} ({r.Provider}, {r.ProviderKind})";
        o.WriteLine(
            $"Data quality: {who}, YOT {r.Yot ?? "(none)"}, {r.Period} ({r.PeriodLabel}, {r.PeriodStart:yyyy-MM-dd} to " +
            $"{r.PeriodEnd:yyyy-MM-dd})");
        o.WriteLine($"  generated   {Time(r.GeneratedAt)}");
        var t = r.Timeliness;
        o.WriteLine($"  last drop   {(t.LastDropAt is { } last ? $"{Time(last)} ({Days(t.DaysSinceLastDrop)})" : "never")}"
            + $"; last accepted {(t.LastAcceptedDropAt is { } acc ? $"{Time(acc)} ({Days(t.DaysSinceLastAcceptedDrop)})" : "never")}");
        if (r.Agreements.Count == 0) o.WriteLine("  agreements  none in force in this quarter");
        else o.WriteLine("  agreements  " + string.Join("; ",
            r.Agreements.Select(a => $"{a.Id} ({a.ValidFrom:yyyy-MM-dd} to {a.ValidTo:yyyy-MM-dd})")));
        o.WriteLine($"  MISSING     {(r.Missing.Count == 0 ? "none" : string.Join(", ", r.Missing))}");
        if (r.RefusedOnly.Count > 0) o.WriteLine($"  NONE ACCEPTED {string.Join(", ", r.RefusedOnly)}");

        o.WriteLine();
        o.WriteLine(
            $"  {"drop type",-22} {"state",-12} {"drops",5} {"refused",7} {"rows read",10} {"accepted",10} {"refused",9} {"out",7} " +
            $"{"held",6} {"link rate",9}");
        foreach (var d in r.DropTypes)
        {
            o.WriteLine(
                $"  {d.DropType,-22} {d.State,-12} {d.DropsReceived,5} {d.DropsRefused,7} {N(d.Rows.Read),10} {N(d.Rows.Accepted),10} " +
                $"{N(d.Rows.Rejected),9} "
                + $"{N(d.Rows.OutOfCohort),7} {N(d.Rows.Held),6} {Percent(d.Linkage.LinkRate),9}");
            if (d.DropRefusalsByRule.Count > 0)
                o.WriteLine("      refused whole: " + string.Join(", ", d.DropRefusalsByRule.Select(c => $"{N(c.Count)} × {c.Rule}")));
            if (d.ErrorsByRule.Count > 0)
                o.WriteLine("      by rule:       " + string.Join(", ",
                    d.ErrorsByRule.Select(c => $"{N(c.Count)} × {c.Rule}{(c.Severity == "query" ? " (query)" : "")}")));
            if (d.Linkage.LinkedBy.Count > 0)
                o.WriteLine("      linked by:     " + string.Join(", ", d.Linkage.LinkedBy.Select(kv => $"{kv.Key} {N(kv.Value)}"))
                    + $"; out of cohort {N(d.Linkage.OutOfCohort)}");
            if (d.Completeness.Count > 0)
                o.WriteLine("      completeness:  " + string.Join(", ", d.Completeness.Select(c => $"{c.Column} {Percent(c.Share)}")));
            if (d.OptionalColumnsAbsent.Count > 0)
                o.WriteLine("      never sent:    " + string.Join(", ", d.OptionalColumnsAbsent));
        }

        o.WriteLine();
        if (r.Drops.Count == 0)
        {
            o.WriteLine("  No drops received in this quarter.");
            return;
        }
        o.WriteLine(
            $"  {"received (UTC)",-17} {"drop",-13} {"type",-22} {"status",-21} {"read",8} {"accepted",9} {"refused",8} {"out",6} " +
            $"{"held",6}");
        foreach (var d in r.Drops)
            o.WriteLine(
                $"  {Time(d.ReceivedAt),-17} {Short(d.DropId),-13} {d.DropType,-22} " +
                $"{d.Status + (d.RefusedBy is null ? "" : $" ({d.RefusedBy})"),-21} "
                + $"{N(d.Rows.Read),8} {N(d.Rows.Accepted),9} {N(d.Rows.Rejected),8} {N(d.Rows.OutOfCohort),6} {N(d.Rows.Held),6}");
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    private static string Days(int? days) => days switch { null => "", 1 => "1 day ago", { } d => $"{d} days ago" };
    private static string Short(string dropId) => dropId.Length > 12 ? dropId[..12] + "…" : dropId;
    private static string Percent(double? value) => value is null ? "n/a" : KpiPrinter.Percent(value);
    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
