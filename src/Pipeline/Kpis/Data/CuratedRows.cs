using Azure.Storage.Blobs;
using YouthJustice.Pipeline.Curated;

namespace YouthJustice.Pipeline.Kpis.Data;

/// <summary>A drop type's curated rows for one YOT, with the two ways of choosing the current ones (see <see cref="YotData"/>).</summary>
internal sealed class CuratedRows
{
    private readonly CuratedTable _table;
    private readonly string? _keyVersion;

    internal CuratedRows(CuratedTable table, string? keyVersion = null)
    {
        _table = table;
        _keyVersion = keyVersion;
    }

    /// <summary>Every row read, whatever its key version.</summary>
    internal CuratedTable Table => _table;

    /// <summary>The layout columns every reader of a drop type's rows needs beside its own.</summary>
    internal static string[] WithLayout(string[] columns) =>
        [CuratedLayout.ReceivedAt, CuratedLayout.DropId, CuratedLayout.Line, CuratedLayout.ChildId, CuratedLayout.KeyVersion, .. columns];

    /// <param name="blobs">The committed files of the drop type (<see cref="CommittedCurated"/>).</param>
    /// <param name="keyVersion">Only rows pseudonymised under this key version (null: every row).</param>
    public static async Task<CuratedRows> ReadAsync(BlobContainerClient curated, IReadOnlyList<string> blobs, string[] columns,
        CancellationToken cancellationToken, string? keyVersion = null) =>
        new(await CuratedTable.ReadAsync(curated, blobs, WithLayout(columns), cancellationToken), keyVersion);

    /// <summary>The row at a place in <see cref="Table"/>.</summary>
    public Row At(int index) => new(_table, index);

    /// <summary>The key versions the rows were pseudonymised under, each once.</summary>
    public IEnumerable<string?> KeyVersions() =>
        Enumerable.Range(0, _table.RowCount).Select(r => _table.Text(CuratedLayout.KeyVersion, r)).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// The key version of the latest drop read (null when there is none). Pseudonyms of two key versions never match,
    /// so after a rotation the YOT's children re-sent under the new key would otherwise count twice.
    /// </summary>
    public string? LatestKeyVersion()
    {
        Row? latest = null;
        foreach (var row in All())
            if (latest is null || row.DropIsLaterThan(latest.Value)) latest = row;
        return latest?.Text(CuratedLayout.KeyVersion);
    }

    /// <summary>These rows, only those of one key version.</summary>
    public CuratedRows InKeyVersion(string? keyVersion) => new(_table, keyVersion);

    /// <summary>For each key, the latest drop's row; in key order, so results never depend on listing order.</summary>
    public IEnumerable<Row> LatestBy(Func<Row, string> key)
    {
        var latest = new SortedDictionary<string, Row>(StringComparer.Ordinal);
        foreach (var row in All())
        {
            var k = key(row);
            if (!latest.TryGetValue(k, out var held) || row.IsLaterThan(held)) latest[k] = row;
        }
        return latest.Values;
    }

    /// <summary>For each child, every row of the latest drop that has rows for that child.</summary>
    public IEnumerable<Row> LatestDropPerChild() => LatestDropPer(r => r.Child);

    /// <summary>For each key (a child, a board meeting), every row of the latest drop that has rows for that key.</summary>
    public IEnumerable<Row> LatestDropPer(Func<Row, string> key)
    {
        var latest = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var row in All())
            if (!latest.TryGetValue(key(row), out var held) || row.DropIsLaterThan(held)) latest[key(row)] = row;
        return All().Where(r => latest[key(r)].DropId == r.DropId)
            .OrderBy(key, StringComparer.Ordinal).ThenBy(r => r.Line);
    }

    private IEnumerable<Row> All()
    {
        for (var r = 0; r < _table.RowCount; r++)
            if (_keyVersion is null || _table.Text(CuratedLayout.KeyVersion, r) == _keyVersion)
                yield return new Row(_table, r);
    }

    public readonly struct Row(CuratedTable table, int index)
    {
        /// <summary>The row's place in <see cref="Table"/>.</summary>
        public int Index => index;
        public string Child => table.Text(CuratedLayout.ChildId, index) ?? "";
        public string DropId => table.Text(CuratedLayout.DropId, index)!;
        public int Line => table.Integer(CuratedLayout.Line, index) ?? 0;
        private string ReceivedAt => table.Text(CuratedLayout.ReceivedAt, index)!;

        public string? Text(string column) => table.Text(column, index);
        public DateOnly? Date(string column) => table.Date(column, index);
        public int? Integer(string column) => table.Integer(column, index);
        public bool? Flag(string column) => table.Flag(column, index);
        public double? Number(string column) => table.Number(column, index);

        public bool DropIsLaterThan(Row other)
        {
            var c = string.CompareOrdinal(ReceivedAt, other.ReceivedAt);
            return c != 0 ? c > 0 : string.CompareOrdinal(DropId, other.DropId) > 0;
        }

        public bool IsLaterThan(Row other) => DropIsLaterThan(other) || (DropId == other.DropId && Line > other.Line);
    }
}
