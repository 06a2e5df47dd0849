using System.Text;
using Sylvan.Data.Csv;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Drops.Reading;

/// <summary>
/// Reads a drop as a stream of CSV rows (RFC 4180, UTF-8 with or without BOM), tracking each row's physical line
/// so errors point where the sender's editor does. Whole-file problems surface as <see cref="DropFormatException"/>,
/// each with its own rule and, where there is one, the line: empty or blank files, binary files renamed .csv,
/// UTF-16 and Windows-1252 text, semicolon- and tab-separated exports, a missing or repeated header, broken quoting,
/// and rows too long to be data.
/// </summary>
public sealed class CsvDropReader : IDisposable
{
    /// <summary>
    /// The longest row (one record, embedded newlines included) the gate reads, in characters. No data row of any
    /// drop type comes near it (a 100 KB free-text cell reads fine); a longer one is a file that is not CSV or a quote
    /// never closed, and is refused as <c>line-too-long</c> once the parser's buffer reaches this size, so a 10 MB
    /// single line costs 2 MB of memory, not 10.
    /// </summary>
    public const int LongestRecord = 1 << 20;

    private const int HeadSize = 4096;
    private readonly CsvDataReader _csv;
    private readonly StreamReader _text;
    private readonly IReadOnlySet<string>? _known;
    private int _nextLine;

    private CsvDropReader(StreamReader text, CsvDataReader csv, int firstDataLine, IReadOnlySet<string>? knownColumns)
    {
        _text = text;
        _csv = csv;
        _nextLine = firstDataLine;
        _known = knownColumns;
        Headers = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i)).ToArray();
    }

    public IReadOnlyList<string> Headers { get; }

    /// <summary>The physical line the current row starts on.</summary>
    public int Line { get; private set; }

    public int FieldCount => _csv.RowFieldCount;

    public static Task<CsvDropReader> OpenAsync(Stream stream, CancellationToken cancellationToken) =>
        OpenAsync(stream, null, cancellationToken);

    /// <param name="knownColumns">
    /// The names line 1 may hold (the drop type's columns and the agreement's names for them), compared ignoring case.
    /// With them, a first line with none of these names, or with a cell that is plainly a value, is refused as
    /// <c>header-missing</c>; and a message about the header names a column only if it is one of these, otherwise its
    /// position ("column 7"): in a file sent without its header, line 1 is a child's row. Without them nothing is
    /// named but positions.
    /// </param>
    public static async Task<CsvDropReader> OpenAsync(Stream stream, IReadOnlySet<string>? knownColumns,
        CancellationToken cancellationToken)
    {
        var head = new byte[HeadSize];
        var n = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var wholeFile = n < head.Length;
        CheckKind(head.AsSpan(0, n));
        var skip = n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
        var prefix = head.AsMemory(skip, n - skip);
        if (wholeFile && prefix.Span.IndexOfAnyExcept(" \t\r\n"u8) < 0)
            throw new DropFormatException(RuleCatalogue.FileEmpty,
                prefix.IsEmpty ? "The file is empty." : "The file has only blank lines: no header and no data.");

        // Encoding problems near the top are reported before the separator: a Windows-1252 file fails here even if
        // it is also semicolon-separated, and the fix ("CSV UTF-8 (Comma delimited)") mends both.
        var early = new TextGuard();
        early.Check(prefix.Span);
        if (wholeFile) early.Finish();
        CheckSeparator(prefix.Span);

        // Every byte goes through a guard that names the line of a non-UTF-8 or zero byte anywhere in the file; the
        // decoder also throws on invalid bytes, as a second line of defence against storing mojibake.
        var text = new StreamReader(new GuardedStream(new PrefixedStream(prefix, stream), new TextGuard()),
            new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        CsvDataReader csv;
        try
        {
            csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions
            {
                Delimiter = ',',
                HasHeaders = true,
                // Sylvan skips rows starting with '#' as comments by default: a drop has no comments, and a skipped
                // row would vanish unreported and shift every line number after it. '\0' never reaches the parser
                // (the guard refuses zero bytes), so this turns comments off.
                Comment = '\0',
                BufferSize = 1 << 16,
                MaxBufferSize = LongestRecord,
                HeaderComparer = StringComparer.OrdinalIgnoreCase,
            }, cancellationToken);
        }
        catch (Exception ex)
        {
            text.Dispose();
            if (Translate(ex, 1, [], null) is { } format) throw format;
            throw;
        }

        var headerLines = 1;
        for (var i = 0; i < csv.FieldCount; i++) headerLines += CountNewlines(csv.GetName(i));
        var reader = new CsvDropReader(text, csv, headerLines + 1, knownColumns);
        try
        {
            CheckHeader(reader.Headers, knownColumns);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        return reader;
    }

    /// <summary>Moves to the next row; false at the end of the file.</summary>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        // Most rows are already in the parser's buffer: no await, and no state machine, per row.
        Task<bool> read;
        try
        {
            read = _csv.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, _nextLine, Headers, _known) is { } format)
        {
            throw format;
        }
        if (!read.IsCompletedSuccessfully) return ReadSlowlyAsync(read);
        if (!read.Result) return ValueTask.FromResult(false);
        Advance();
        return ValueTask.FromResult(true);
    }

    private async ValueTask<bool> ReadSlowlyAsync(Task<bool> read)
    {
        try
        {
            if (!await read) return false;
        }
        catch (Exception ex) when (Translate(ex, _nextLine, Headers, _known) is { } format)
        {
            throw format;
        }
        Advance();
        return true;
    }

    private void Advance()
    {
        Line = _nextLine;
        var embedded = 0;
        // A line break inside a row can only be in a quoted cell; one search of the row's text rules it out for nearly all.
        if (_csv.GetRawRecordSpan().TrimEnd("\r\n").ContainsAny('\r', '\n'))
            for (var i = 0; i < _csv.RowFieldCount; i++) embedded += CountNewlines(_csv.GetFieldSpan(i));
        _nextLine += 1 + embedded;
    }

    public ReadOnlySpan<char> Span(int ordinal) => ordinal < _csv.RowFieldCount ? _csv.GetFieldSpan(ordinal) : [];

    public string String(int ordinal) => ordinal < _csv.RowFieldCount ? _csv.GetString(ordinal) : "";

    /// <summary>True for a row of nothing but empty cells, as spreadsheets leave at the end of an export.</summary>
    public bool IsBlank()
    {
        for (var i = 0; i < _csv.RowFieldCount; i++)
            if (!_csv.GetFieldSpan(i).IsWhiteSpace()) return false;
        return true;
    }

    public void Dispose()
    {
        _csv.Dispose();
        _text.Dispose();
    }

    /// <summary>Line breaks inside a cell as an editor counts them: CRLF, LF or a lone CR each start a new line.</summary>
    private static int CountNewlines(ReadOnlySpan<char> s)
    {
        var first = s.IndexOfAny('\r', '\n');
        if (first < 0) return 0;
        s = s[first..];
        var lf = s.Count('\n');
        var cr = s.Count('\r');
        return cr == 0 ? lf : lf == 0 ? cr : lf + cr - s.Count("\r\n");
    }

    /// <summary>Files that are plainly not UTF-8 CSV text, told apart by their first bytes.</summary>
    private static void CheckKind(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) throw new DropFormatException(RuleCatalogue.FileEmpty, "The file is empty.");
        if (BinaryKind(head) is { } kind)
            throw new DropFormatException(RuleCatalogue.FileNotCsv,
                $"The file is {kind}, not CSV text, although its name ends in .csv. Open it in the program that made it, " +
                "save or export it as 'CSV UTF-8 (Comma delimited)', and send that file.");
        if (IsUtf16(head))
            throw new DropFormatException(RuleCatalogue.FileNotUtf8,
                "The file is saved as UTF-16 ('Unicode Text'), not UTF-8. In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)', " +
                "or choose UTF-8 in your system's export, and send the file again.");
    }

    private static string? BinaryKind(ReadOnlySpan<byte> b) =>
        b.StartsWith(Zip) ? "an Excel workbook (.xlsx) or another zip file"
        : b.StartsWith(Ole) ? "an old-style Excel workbook (.xls) or another Office document"
        : b.StartsWith(Png) ? "a PNG image"
        : b.StartsWith(Jpeg) ? "a JPEG image"
        : b.StartsWith("%PDF"u8) ? "a PDF document"
        : b.StartsWith(Gzip) ? "a gzip-compressed file"
        : null;

    private static ReadOnlySpan<byte> Zip => [0x50, 0x4B, 0x03, 0x04];
    private static ReadOnlySpan<byte> Ole => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47];
    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> Gzip => [0x1F, 0x8B];

    /// <summary>
    /// A UTF-16 (or UTF-32) byte order mark, or the zero byte beside every ASCII character that UTF-16 text without one has.
    /// </summary>
    private static bool IsUtf16(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) return true;
        var pairs = Math.Min(b.Length, 512) / 2;
        if (pairs < 2) return false;
        int evenZero = 0, oddZero = 0;
        for (var i = 0; i < pairs * 2; i += 2)
        {
            if (b[i] == 0) evenZero++;
            if (b[i + 1] == 0) oddZero++;
        }
        return (oddZero * 2 > pairs && evenZero == 0) || (evenZero * 2 > pairs && oddZero == 0);
    }

    /// <summary>
    /// Decision (issue 3): semicolon- and tab-separated files are refused, not read. Excel writes semicolons where the
    /// PC's list separator is set that way (and then often decimal commas too), and "Text (Tab delimited)" writes tabs;
    /// reading several separators would mean guessing per file, and a wrong guess turns a file into plausible but
    /// shifted columns. One separator keeps one parser path and one set of line numbers, and the sender's fix is a
    /// single Save As. The header (line 1) decides: separators are counted outside quotes, so a comma file whose
    /// quoted column names hold semicolons is read, and a semicolon file with a comma in a column name is still refused.
    /// </summary>
    private static void CheckSeparator(ReadOnlySpan<byte> head)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var b in head)
        {
            if (b == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (b is (byte)'\n' or (byte)'\r') break;
            else if (b == ',') commas++;
            else if (b == ';') semicolons++;
            else if (b == '\t') tabs++;
        }
        if (semicolons <= commas && tabs <= commas) return;
        var what = tabs > semicolons ? "tabs (a tab-delimited text export)" : "semicolons";
        throw new DropFormatException(RuleCatalogue.FileNotCsv,
            $"Line 1 (the header) is separated by {what}, not commas. In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)', " +
            "or set your system's export to separate with commas, and send the file again.", 1);
    }

    private static void CheckHeader(IReadOnlyList<string> headers, IReadOnlySet<string>? known)
    {
        if (headers.All(string.IsNullOrWhiteSpace))
            throw new DropFormatException(RuleCatalogue.HeaderMissing,
                "Line 1 is blank (or holds only commas): the column names must be on line 1. " +
                "Delete the blank lines above them and send the file again.", 1);
        if (known is not null)
        {
            // Data first, then names: a file sent without its header starts with a child's row, and which of its
            // cells happen to repeat or match is no business of the message.
            var values = Enumerable.Range(0, headers.Count).Where(i => LooksLikeValue(headers[i].Trim())).ToList();
            if (values.Count > 0)
                throw new DropFormatException(RuleCatalogue.HeaderMissing,
                    $"Line 1 holds data, not column names: {Columns(values)} " +
                    $"{(values.Count == 1 ? "is a date, a number or an identifier" : "are dates, numbers or identifiers")}. " +
                    "The file seems to have been exported without its header line. " +
                    "Export it again with the column names on line 1, and send it again.", 1);
            if (!headers.Any(h => known.Contains(h.Trim())))
                throw new DropFormatException(RuleCatalogue.HeaderMissing,
                    $"None of the {headers.Count} names on line 1 is a column of this drop type " +
                    "(or one of your agreement's names for one): " +
                    "the file has no header line, or its columns are named differently. " +
                    "Put the column names on line 1, spelt as in the drop type's " +
                    "published schema, and send the file again.", 1);
        }
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Trim();
            if (name.Length == 0) continue;
            if (!seen.TryAdd(name, i))
                throw new DropFormatException(RuleCatalogue.HeaderDuplicateColumn,
                    known is not null && known.Contains(name)
                        ? $"Line 1 (the header) names the column '{name}' twice, in columns {seen[name] + 1} and {i + 1}: " +
                            "it is unclear which to read."
                        : $"Line 1 (the header) has the same name in columns {seen[name] + 1} and {i + 1}: it is unclear which to read.",
                    1);
        }
    }

    /// <summary>
    /// A cell no column is named like: nothing but digits and the punctuation of dates, times and numbers (2011-03-14,
    /// 14/03/2011, 19.5, a ULN), or a UPN's shape (a letter, 11 digits, a digit or letter).
    /// </summary>
    private static bool LooksLikeValue(string cell)
    {
        if (cell.Length == 0) return false;
        if (cell.AsSpan().ContainsAnyInRange('0', '9') && !cell.AsSpan().ContainsAnyExcept(ValueCharacters)) return true;
        return cell.Length == 13 && char.IsAsciiLetter(cell[0]) && cell.AsSpan(1, 11).IndexOfAnyExceptInRange('0', '9') < 0
            && char.IsAsciiLetterOrDigit(cell[12]);
    }

    private static readonly System.Buffers.SearchValues<char> ValueCharacters = System.Buffers.SearchValues.Create("0123456789-/.:, ");

    private static string Columns(IReadOnlyList<int> ordinals) =>
        (ordinals.Count == 1 ? "column " : "columns ")
        + string.Join(", ", ordinals.Take(5).Select(i => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))) +
        (ordinals.Count > 5 ? $" and {ordinals.Count - 5} more" : "");

    private static DropFormatException? Translate(Exception ex, int line, IReadOnlyList<string> headers,
        IReadOnlySet<string>? known) => ex switch
    {
        DecoderFallbackException => new DropFormatException(RuleCatalogue.FileNotUtf8,
            "The file is not UTF-8 text (it looks like Windows-1252 or another legacy encoding). In Excel use File > Save As > " +
            "'CSV UTF-8 (Comma delimited)' and send the file again."),
        CsvRecordTooLargeException => new DropFormatException(RuleCatalogue.LineTooLong,
            $"The row starting on line {line} is longer than 1 MB ({LongestRecord:N0} characters), far more than any data row: " +
            $"the file is not a CSV export, or a quote (\") opened on line {line} is never closed, " +
            "so the rest of the file reads as one cell.", line),
        CsvInvalidCharacterException { InvalidCharacter: '"' } q => new DropFormatException(RuleCatalogue.QuoteInvalid,
            $"A quote (\") opened in column {Column(q.FieldOrdinal, headers, known)} of the row starting on line {line} " +
            "is never closed before the end of the file. " +
            "Close the quote, or write a quote inside a cell as two quotes (\"\").", line),
        CsvInvalidCharacterException q => new DropFormatException(RuleCatalogue.QuoteInvalid,
            $"In column {Column(q.FieldOrdinal, headers, known)} of the row starting on line {line}, text follows a closing quote (\"). " +
            "A quote inside a quoted cell must be written as two quotes (\"\").", line),
        CsvFormatException => new DropFormatException(RuleCatalogue.FileNotCsv,
            $"The file is not valid CSV in the row starting on line {line}.", line),
        _ => null,
    };

    private static string Column(int ordinal, IReadOnlyList<string> headers, IReadOnlySet<string>? known) =>
        ordinal >= 0 && ordinal < headers.Count && known is not null && known.Contains(headers[ordinal].Trim())
            ? $"{ordinal + 1} ({headers[ordinal].Trim()})"
            : $"{ordinal + 1}";
}
