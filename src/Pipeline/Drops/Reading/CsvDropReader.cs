using System.Text;
using Sylvan.Data.Csv;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Drops.Reading;

/// <summary>
/// Reads a drop as a stream of CSV rows (RFC 4180, UTF-8 with or without BOM), tracking each row's physical line
/// so errors point where the sender's editor does. Whole-file problems surface as <see cref="DropFormatException"/>.
/// </summary>
public sealed class CsvDropReader : IDisposable
{
    private const int LongestRecord = 16 * 1024 * 1024;
    private readonly CsvDataReader _csv;
    private readonly StreamReader _text;
    private int _nextLine;

    private CsvDropReader(StreamReader text, CsvDataReader csv, int firstDataLine)
    {
        _text = text;
        _csv = csv;
        _nextLine = firstDataLine;
        Headers = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i)).ToArray();
    }

    public IReadOnlyList<string> Headers { get; }

    /// <summary>The physical line the current row starts on.</summary>
    public int Line { get; private set; }

    public int FieldCount => _csv.RowFieldCount;

    public static async Task<CsvDropReader> OpenAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[4096];
        var n = await ReadUpToAsync(stream, head, cancellationToken);
        if (n == 0) throw new DropFormatException(RuleCatalogue.FileEmpty, "The file is empty.");
        if (n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
            throw new DropFormatException(RuleCatalogue.FileNotUtf8, "The file is saved as UTF-16 (Unicode) text, not UTF-8.");
        if (head.AsSpan(0, n).Contains((byte)0))
            throw new DropFormatException(RuleCatalogue.FileNotCsv, "The file is not text (it contains binary data): send a CSV export.");
        var skip = n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
        var rest = new PrefixedStream(head.AsMemory(skip, n - skip), stream);

        // throwOnInvalidBytes: a Windows-1252 file fails here instead of storing mojibake.
        var text = new StreamReader(rest, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        try
        {
            var csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions
            {
                Delimiter = ',',
                HasHeaders = true,
                BufferSize = 1 << 16,
                MaxBufferSize = LongestRecord,
                HeaderComparer = StringComparer.OrdinalIgnoreCase,
            }, cancellationToken);
            var headerLines = 1;
            for (var i = 0; i < csv.FieldCount; i++) headerLines += CountNewlines(csv.GetName(i));
            return new CsvDropReader(text, csv, headerLines + 1);
        }
        catch (Exception ex) when (Translate(ex) is { } format)
        {
            text.Dispose();
            throw format;
        }
    }

    /// <summary>Moves to the next row; false at the end of the file.</summary>
    public async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await _csv.ReadAsync(cancellationToken)) return false;
        }
        catch (Exception ex) when (Translate(ex) is { } format)
        {
            throw format;
        }
        Line = _nextLine;
        var embedded = 0;
        for (var i = 0; i < _csv.RowFieldCount; i++) embedded += CountNewlines(_csv.GetFieldSpan(i));
        _nextLine += 1 + embedded;
        return true;
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

    private static int CountNewlines(ReadOnlySpan<char> s) => s.Count('\n');

    private static DropFormatException? Translate(Exception ex) => ex switch
    {
        DecoderFallbackException => new DropFormatException(RuleCatalogue.FileNotUtf8,
            "The file is not UTF-8 text (it looks like Windows-1252 or another legacy encoding)."),
        CsvRecordTooLargeException => new DropFormatException(RuleCatalogue.FileNotCsv,
            $"A line is longer than {LongestRecord / (1024 * 1024)} MB: the file is not a CSV export, or a quote is never closed."),
        CsvFormatException f => new DropFormatException(RuleCatalogue.FileNotCsv, $"The file is not valid CSV near row {f.RowNumber}: {f.Message}"),
        _ => null,
    };

    private static async Task<int> ReadUpToAsync(Stream s, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await s.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
