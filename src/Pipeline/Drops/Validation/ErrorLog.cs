using System.Text.Json;
using System.Globalization;
using System.Text;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Reporting;

namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// Collects a drop's findings: counts per rule, the first few for the receipt, and every one in a temporary
/// JSON file for the quarantine report and a CSV file for the sender to open in a spreadsheet, so a file with
/// millions of bad rows does not fill memory.
/// </summary>
public sealed class ErrorLog : IAsyncDisposable
{
    public const int ReceiptLimit = 1000;
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly FileStream _csvFile;
    private readonly StreamWriter _csv;

    public ErrorLog()
    {
        var path = Path.Combine(Path.GetTempPath(), $"yjp-errors-{Guid.NewGuid():N}.json");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { Indented = false });
        _json.WriteStartArray();
        _csvFile = new FileStream(Path.ChangeExtension(path, ".csv"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        // A byte-order mark, so Excel opens the UTF-8 file as UTF-8.
        _csv = new StreamWriter(_csvFile, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true);
        SafeCsv.WriteRow(_csv, CsvHeader);
    }

    /// <summary>The columns of the sender's CSV copy of the errors.</summary>
    public static IReadOnlyList<string> CsvHeader { get; } = ["line", "field", "rule", "severity", "message", "value"];

    public SortedDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);
    public List<RowError> First { get; } = [];
    public long Total { get; private set; }
    public bool Truncated => Total > First.Count;

    public void Add(RowError error)
    {
        Total++;
        Counts[error.Rule] = Counts.GetValueOrDefault(error.Rule) + 1;
        if (First.Count < ReceiptLimit) First.Add(error);
        ReceiptJson.WriteError(_json, error);
        if (_json.BytesPending > 1 << 16) _json.Flush();
        // Values are the sender's own cells and may start with = + - @: SafeCsv keeps them from running as formulas.
        SafeCsv.WriteRow(_csv, [error.Line?.ToString(CultureInfo.InvariantCulture), error.Field, error.Rule,
            error.Severity == RuleSeverity.Query ? "query" : "error", error.Message, error.Value]);
    }

    /// <summary>The errors as CSV for the sender, positioned at its start.</summary>
    public async Task<Stream> CompleteCsvAsync(CancellationToken cancellationToken)
    {
        await _csv.FlushAsync(cancellationToken);
        _csvFile.Position = 0;
        return _csvFile;
    }

    /// <summary>The full report, positioned at its start.</summary>
    public async Task<Stream> CompleteAsync(CancellationToken cancellationToken)
    {
        _json.WriteEndArray();
        await _json.FlushAsync(cancellationToken);
        _file.Position = 0;
        return _file;
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _file.DisposeAsync();
        await _csv.DisposeAsync();
        await _csvFile.DisposeAsync();
    }
}
