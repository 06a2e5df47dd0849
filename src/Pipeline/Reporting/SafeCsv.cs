using System.Net;

namespace YouthJustice.Pipeline.Reporting;

/// <summary>
/// Writes values that may have come from a sender's file (error reports, returns, anything a person opens in a
/// spreadsheet or a browser) so that they show as text and never run. Use it for every CSV and HTML output.
/// </summary>
/// <remarks>
/// CSV: each cell is quoted per RFC 4180 when it holds a comma, quote, CR or LF, or starts or ends with a space;
/// and a cell a spreadsheet would read as a formula (first character <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or
/// CR, also after leading spaces) gets a single quote in front, as the OWASP guidance on CSV injection advises, so
/// <c>=HYPERLINK(...)</c> shows as <c>'=HYPERLINK(...)</c>. A plain number such as <c>-3</c> or <c>+1.5</c> is left
/// alone: a spreadsheet reads it as that number and nothing else.
/// </remarks>
public static class SafeCsv
{
    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create(",\"\r\n");

    /// <summary>One CSV cell, escaped and quoted as needed; null is an empty cell.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (!IsFormula(value) && !MustQuote(value)) return value;
        var w = new StringWriter();
        WriteCell(w, value);
        return w.ToString();
    }

    /// <summary>One CSV row (cells separated by commas, ending in CRLF as RFC 4180 has it).</summary>
    public static string Row(params IEnumerable<string?> cells)
    {
        var w = new StringWriter();
        WriteRow(w, cells);
        return w.ToString();
    }

    public static void WriteRow(TextWriter writer, IEnumerable<string?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) writer.Write(',');
            first = false;
            WriteCell(writer, cell);
        }
        writer.Write("\r\n");
    }

    /// <summary>Writes one cell without building a string for it.</summary>
    public static void WriteCell(TextWriter writer, ReadOnlySpan<char> value)
    {
        if (value.IsEmpty) return;
        var quote = MustQuote(value);
        if (quote) writer.Write('"');
        if (IsFormula(value)) writer.Write('\'');
        if (!quote)
        {
            writer.Write(value);
            return;
        }
        while (true)
        {
            var q = value.IndexOf('"');
            if (q < 0) break;
            writer.Write(value[..(q + 1)]);
            writer.Write('"');
            value = value[(q + 1)..];
        }
        writer.Write(value);
        writer.Write('"');
    }

    /// <summary>True when a spreadsheet opening the cell could take it for a formula (or a DDE command).</summary>
    public static bool IsFormula(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty) return false;
        if (value[0] is '\t' or '\r') return true;
        var t = value.TrimStart(' ');
        if (t.IsEmpty || t[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r' or '\n')) return false;
        return !IsPlainNumber(t);
    }

    /// <summary>HTML text or attribute content: &amp;, &lt;, &gt;, quotes and apostrophes escaped. Null is empty.</summary>
    public static string Html(string? value) => string.IsNullOrEmpty(value) ? "" : WebUtility.HtmlEncode(value);

    private static bool MustQuote(ReadOnlySpan<char> value) =>
        value.IndexOfAny(NeedsQuotes) >= 0 || value[0] == ' ' || value[^1] == ' ';

    /// <summary>An optional sign, digits, and at most one decimal point with digits: nothing a spreadsheet evaluates.</summary>
    private static bool IsPlainNumber(ReadOnlySpan<char> s)
    {
        if (s[0] is '+' or '-') s = s[1..];
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? [] : s[(dot + 1)..];
        if (whole.IsEmpty && fraction.IsEmpty) return false;
        if (dot >= 0 && fraction.IsEmpty) return false;
        return !whole.ContainsAnyExceptInRange('0', '9') && !fraction.ContainsAnyExceptInRange('0', '9');
    }
}
