using System.Text.Json;
using System.Globalization;
using System.Text;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Reporting;

namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// Collects a drop's findings: exact counts per rule, the first few for the receipt, and the first
/// <see cref="PerRuleLimit"/> of each rule in a temporary JSON file for the quarantine report and a CSV file for the
/// sender to open in a spreadsheet. Past the limit a rule is only counted, and both reports say how many of each rule
/// they leave out: a file of two million bad rows gives reports of a few megabytes, not hundreds, and a thousand
/// examples of one mistake are as much use to a sender as a million.
/// </summary>
public sealed class ErrorLog : IAsyncDisposable
{
    public const int ReceiptLimit = 1000;
    public const int PerRuleLimit = 1000;
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly FileStream _csvFile;
    private readonly StreamWriter _csv;

    public ErrorLog()
    {
        var path = Path.Combine(Path.GetTempPath(), $"yjp-errors-{Guid.NewGuid():N}.json");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { Indented = false });
        _json.WriteStartObject();
        _json.WriteStartArray("errors");
        _csvFile = new FileStream(Path.ChangeExtension(path, ".csv"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose);
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

    /// <summary>Per rule, the findings counted but left out of the reports (past <see cref="PerRuleLimit"/>).</summary>
    public IReadOnlyDictionary<string, long> NotListed =>
        Counts.Where(kv => kv.Value > PerRuleLimit).ToDictionary(kv => kv.Key, kv => kv.Value - PerRuleLimit, StringComparer.Ordinal);

    private readonly Dictionary<string, RuleSeverity> _severity = new(StringComparer.Ordinal);

    public void Add(RowError error)
    {
        Total++;
        var count = Counts[error.Rule] = Counts.GetValueOrDefault(error.Rule) + 1;
        if (First.Count < ReceiptLimit) First.Add(error);
        if (count > PerRuleLimit) return;
        _severity.TryAdd(error.Rule, error.Severity);
        ReceiptJson.WriteError(_json, error);
        if (_json.BytesPending > 1 << 16) _json.Flush();
        // Values are the sender's own cells and may start with = + - @: SafeCsv keeps them from running as formulas.
        SafeCsv.WriteRow(_csv, [error.Line?.ToString(CultureInfo.InvariantCulture), error.Field, error.Rule,
            error.Severity == RuleSeverity.Query ? "query" : "error", error.Message, error.Value]);
    }

    /// <summary>
    /// The errors as CSV for the sender, positioned at its start: the listed findings in file order, then one row per
    /// rule with findings left out, saying how many (its line and field empty).
    /// </summary>
    public async Task<Stream> CompleteCsvAsync(CancellationToken cancellationToken)
    {
        foreach (var (rule, n) in NotListed)
            SafeCsv.WriteRow(_csv, [null, null, rule, _severity[rule] == RuleSeverity.Query ? "query" : "error",
                NotListedMessage(n, Counts[rule]), null]);
        await _csv.FlushAsync(cancellationToken);
        _csvFile.Position = 0;
        return _csvFile;
    }

    /// <summary>
    /// The quarantine report, positioned at its start: <c>{"errors": [the listed findings], "listedPerRule": 1000,
    /// "errorCounts": {rule: every finding}, "notListed": {rule: findings left out}}</c>.
    /// </summary>
    public async Task<Stream> CompleteAsync(CancellationToken cancellationToken)
    {
        _json.WriteEndArray();
        _json.WriteNumber("listedPerRule", PerRuleLimit);
        _json.WriteStartObject("errorCounts");
        foreach (var (rule, n) in Counts) _json.WriteNumber(rule, n);
        _json.WriteEndObject();
        _json.WriteStartObject("notListed");
        foreach (var (rule, n) in NotListed) _json.WriteNumber(rule, n);
        _json.WriteEndObject();
        _json.WriteEndObject();
        await _json.FlushAsync(cancellationToken);
        _file.Position = 0;
        return _file;
    }

    private static string NotListedMessage(long notListed, long total) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{notListed:N0} more rows broke this rule and are not listed: " +
            $"only the first {PerRuleLimit:N0} of each rule are (this rule: {total:N0} in all). " +
            $"Fix the rows listed, check the rest of the file for the same mistake, and send it again.");

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _file.DisposeAsync();
        await _csv.DisposeAsync();
        await _csvFile.DisposeAsync();
    }
}
