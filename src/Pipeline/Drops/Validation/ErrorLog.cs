using System.Text.Json;
using YouthJustice.Pipeline.Ingestion;

namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// Collects a drop's findings: counts per rule, the first few for the receipt, and every one in a temporary
/// JSON file for the quarantine report, so a file with millions of bad rows does not fill memory.
/// </summary>
public sealed class ErrorLog : IAsyncDisposable
{
    public const int ReceiptLimit = 1000;
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;

    public ErrorLog()
    {
        var path = Path.Combine(Path.GetTempPath(), $"yjp-errors-{Guid.NewGuid():N}.json");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { Indented = false });
        _json.WriteStartArray();
    }

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
    }
}
