using System.Buffers;
using System.Globalization;
using System.Text;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>A deliberate mistake: the column it spoils (only rows with a value there are chosen) and the bad value, from the old cell and
/// row.</summary>
internal sealed record Fault(string Column, Func<string, string[], string> Spoil);

/// <summary>Writing the demo's CSV files, formatting their cells, and spoiling a few rows on purpose.</summary>
internal static class DemoCsv
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    public static string Date(DateOnly date, bool uk = false) =>
        date.ToString(uk ? "dd/MM/yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? date, bool uk = false) => date is { } d ? Date(d, uk) : "";

    public static DateOnly ParseDate(string text) =>
        DateOnly.ParseExact(text, text.Contains('/') ? "dd/MM/yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Flag(bool? flag) => flag switch { true => "Y", false => "N", null => "" };

    public static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "";

    private static string Quote(string cell) =>
        cell.AsSpan().ContainsAny(NeedsQuotes) ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    /// <summary>
    /// Writes <c>{directory}/{provider}/{name}.csv</c>: CRLF lines and UTF-8 without a BOM, as a Windows MIS exports
    /// them; fields quoted only when they must be. <paramref name="header"/> is what the provider's system calls the columns.
    /// </summary>
    public static DemoDrop Write(string directory, string provider, string dropType, string name, IReadOnlyList<string> header,
        IEnumerable<string[]> rows)
    {
        var path = Path.Combine(directory, provider, name + ".csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false,
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\r\n" };
        writer.WriteLine(string.Join(',', header.Select(Quote)));
        var count = 0;
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join(',', row.Select(Quote)));
            count++;
        }
        return new DemoDrop(provider, dropType, path, count);
    }

    /// <summary>Applies each fault to a different row holding a value in the fault's column; the rows are changed in place.</summary>
    public static List<string[]> Spoil(DemoRandom rng, List<string[]> rows, IReadOnlyList<string> columns, IReadOnlyList<Fault> faults)
    {
        var spoilt = new HashSet<int>();
        foreach (var fault in faults)
        {
            var column = IndexOf(columns, fault.Column);
            var candidates = Enumerable.Range(0, rows.Count).Where(r => !spoilt.Contains(r) && rows[r][column].Length > 0).ToList();
            if (candidates.Count == 0) continue;
            var r = rng.Pick(candidates);
            spoilt.Add(r);
            rows[r][column] = fault.Spoil(rows[r][column], rows[r]);
        }
        return rows;
    }

    public static int IndexOf(IReadOnlyList<string> columns, string column)
    {
        for (var i = 0; i < columns.Count; i++) if (columns[i] == column) return i;
        throw new ArgumentException($"No column {column}.", nameof(column));
    }

    private const string CheckLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"; // the DfE table, as in UpnCheck

    /// <summary>The UPN with its check letter moved on by one: a typical mistyping, and always wrong.</summary>
    public static string WrongCheckLetter(string upn) =>
        CheckLetters[(CheckLetters.IndexOf(upn[0], StringComparison.Ordinal) + 1) % CheckLetters.Length] + upn[1..];

    /// <summary>The ULN with its last digit moved on by one: fails the DD01 check digit.</summary>
    public static string WrongCheckDigit(string uln) => uln[..9] + (char)('0' + (uln[9] - '0' + 1) % 10);

    /// <summary>A unique UPN with a valid check letter: LA number, the primary school that allocated it, the year allocated and a
    /// serial.</summary>
    public static string Upn(DemoRandom rng, HashSet<string> used, string la, DateOnly dateOfBirth)
    {
        var allocated = (dateOfBirth.Month >= 9 ? dateOfBirth.Year + 5 : dateOfBirth.Year + 4) % 100;
        while (true)
        {
            var twelve = $"{la}{rng.Next(2000, 3000)}{allocated:00}{rng.Next(1000):000}";
            var upn = UpnCheck.CheckLetter(twelve) + twelve;
            if (used.Add(upn)) return upn;
        }
    }

    public static string Uln(DemoRandom rng, HashSet<string> used)
    {
        while (true)
        {
            var nine = rng.Next(100_000_000, 1_000_000_000).ToString(CultureInfo.InvariantCulture);
            if (UlnCheck.CheckDigit(nine) is { } check && used.Add(nine + check.ToString(CultureInfo.InvariantCulture)))
                return nine + check.ToString(CultureInfo.InvariantCulture);
        }
    }
}
