using System.Globalization;
using YouthJustice.Pipeline.Ingestion;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>A receipt as a sender reads it in a terminal: the verdict, the counts, then errors grouped by rule.</summary>
public static class ReceiptPrinter
{
    public static void Print(TextWriter o, Receipt r, int maxErrors = 10)
    {
        o.WriteLine($"{r.DropType} from {r.Provider}: {r.Status.ToUpperInvariant()}");
        o.WriteLine($"  drop      {r.DropId[..12]}…  agreement {r.Agreement ?? "(none)"}  rules {r.RuleCatalogueVersion}");
        o.WriteLine($"  rows      read {N(r.RowsRead)}, accepted {N(r.RowsAccepted)}, refused {N(r.RowsRejected)}, out of cohort {N(r.RowsOutOfCohort)}");
        if (r.FieldsNotShared.Count > 0) o.WriteLine($"  not shared (removed at the gate): {string.Join(", ", r.FieldsNotShared)}");
        if (r.ErrorCounts.Count > 0)
            o.WriteLine("  by rule   " + string.Join(", ", r.ErrorCounts.OrderByDescending(kv => kv.Value).Select(kv => $"{N(kv.Value)} × {kv.Key}")));
        foreach (var e in r.Errors.Take(maxErrors))
        {
            var where = e.Line is { } line ? $"line {line}" : "file";
            o.WriteLine($"    {where,-10} {e.Field ?? "",-16} {e.Rule,-28} {e.Message}{(e.Value is null ? "" : $" [{e.Value}]")}");
        }
        if (r.Errors.Count > maxErrors || r.ErrorsTruncated)
            o.WriteLine($"    … {N(r.ErrorCounts.Values.Sum() - Math.Min(maxErrors, r.Errors.Count))} more in the receipt (--json) and quarantine/{r.DropId[..12]}…/errors.json");
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
