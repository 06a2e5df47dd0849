using System.Globalization;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>A receipt as a sender reads it in a terminal: the verdict, the counts, then errors grouped by rule.</summary>
public static class ReceiptPrinter
{
    public static void Print(TextWriter o, Receipt r, int maxErrors = 10)
    {
        o.WriteLine($"{r.DropType} from {r.Provider}: {r.Status.ToUpperInvariant()}");
        o.WriteLine($"  drop      {r.DropId[..12]}…  agreement {r.Agreement ?? "(none)"}  rules {r.RuleCatalogueVersion}");
        if (r.InProgress)
        {
            o.WriteLine("  the same file is being processed right now by another worker; its receipt is written when that finishes");
            return;
        }
        o.WriteLine(
            $"  rows      read {N(r.Rows.Read)}, accepted {N(r.Rows.Accepted)}, refused {N(r.Rows.Rejected)}, out of cohort " +
            $"{N(r.Rows.OutOfCohort)}");
        if (r.FieldsNotShared.Count > 0) o.WriteLine($"  not shared (removed at the gate): {string.Join(", ", r.FieldsNotShared)}");
        if (r.ErrorCounts.Count > 0)
            o.WriteLine("  by rule   " + string.Join(", ", r.ErrorCounts.OrderByDescending(kv => kv.Value)
                .Select(kv => $"{N(kv.Value)} × {kv.Key}")));
        foreach (var e in r.Errors.Take(maxErrors))
        {
            var where = e.Line is { } line ? $"line {line}" : "file";
            o.WriteLine($"    {where,-10} {e.Field ?? "",-16} {e.Rule,-28} {e.Message}{(e.Value is null ? "" : $" [{e.Value}]")}");
        }
        if (r.Errors.Count > maxErrors || r.ErrorsTruncated)
            o.WriteLine(
                $"    … {N(r.ErrorCounts.Values.Sum() - Math.Min(maxErrors, r.Errors.Count))} more: counted by rule above; the first " +
                $"{N(ErrorLog.PerRuleLimit)} of each rule in receipts/{r.Provider}/{r.DropId[..12]}….errors.csv");
    }

    /// <summary>
    /// A receipt in two or three lines, for runs that send many drops (the demo): the verdict and counts, with the link
    /// rate for school and college drops; what was not shared and the errors by rule; then the first few errors, rows
    /// refused before queries.
    /// </summary>
    public static void PrintShort(TextWriter o, Receipt r, int maxErrors = 2)
    {
        var counts = $"read {N(r.Rows.Read)}, accepted {N(r.Rows.Accepted)}, refused {N(r.Rows.Rejected)}";
        if (r.Rows.Held > 0) counts += $", held {N(r.Rows.Held)}";
        if (r.Rows.OutOfCohort > 0 || r.LinkedBy.Count > 0)
            counts += $", out of cohort {N(r.Rows.OutOfCohort)}; linked {LinkRate(r)} " +
                $"({string.Join(", ", r.LinkedBy.Select(kv => $"{kv.Key} {N(kv.Value)}"))})";
        o.WriteLine($"{r.DropType} from {r.Provider}: {r.Status.ToUpperInvariant()} — {counts}");
        var notes = new List<string>();
        if (r.ErrorCounts.Count > 0)
            notes.Add(string.Join(", ", r.ErrorCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{N(kv.Value)} × {kv.Key}")));
        if (r.FieldsNotShared.Count > 0) notes.Add($"not shared: {string.Join(", ", r.FieldsNotShared)}");
        if (notes.Count > 0) o.WriteLine("    " + string.Join("; ", notes));
        foreach (var e in r.Errors.OrderBy(e => e.Severity == RuleSeverity.Query ? 1 : 0).Take(maxErrors))
        {
            var where = e.Line is { } line ? $"line {line}" : "file";
            o.WriteLine($"    {where,-10} {e.Field ?? "",-16} {e.Message}{(e.Value is null ? "" : $" [{e.Value}]")}");
        }
    }

    /// <summary>Rows linked to a child as a share of the rows not refused (school and college drops).</summary>
    public static double LinkShare(Receipt r)
    {
        var considered = r.Rows.Read - r.Rows.Rejected;
        return considered <= 0 ? 0 : (double)r.LinkedBy.Values.Sum() / considered;
    }

    private static string LinkRate(Receipt r) => LinkShare(r).ToString("P1", CultureInfo.InvariantCulture)
        .Replace(" ", "", StringComparison.Ordinal);

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
