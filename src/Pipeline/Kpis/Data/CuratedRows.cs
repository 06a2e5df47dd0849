using Azure.Storage.Blobs;
using YouthJustice.Pipeline.Curated;

namespace YouthJustice.Pipeline.Kpis.Data;

/// <summary>A drop type's curated rows for one YOT, with the two ways of choosing the current ones (see <see cref="YotData"/>).</summary>
internal sealed class CuratedRows
{
    private readonly CuratedTable _table;

    internal CuratedRows(CuratedTable table) => _table = table;

    internal CuratedTable Table => _table;

    /// <summary>The layout columns every reader of a drop type's rows needs beside its own.</summary>
    internal static string[] WithLayout(string[] columns) => [CuratedLayout.ReceivedAt, CuratedLayout.DropId, CuratedLayout.Line, CuratedLayout.ChildId, .. columns];

    /// <summary>Every row, in stored order (for rows a <see cref="CurrentView"/> has already chosen).</summary>
    public IEnumerable<Row> Current() => All();

    /// <param name="blobs">The committed files of the drop type (<see cref="CommittedCurated"/>).</param>
    public static async Task<CuratedRows> ReadAsync(BlobContainerClient curated, IReadOnlyList<string> blobs, string[] columns, CancellationToken cancellationToken) =>
        new(await CuratedTable.ReadAsync(curated, blobs, WithLayout(columns), cancellationToken));

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
    public IEnumerable<Row> LatestDropPerChild()
    {
        var latest = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var row in All())
            if (!latest.TryGetValue(row.Child, out var held) || row.DropIsLaterThan(held)) latest[row.Child] = row;
        return All().Where(r => latest[r.Child].DropId == r.DropId)
            .OrderBy(r => r.Child, StringComparer.Ordinal).ThenBy(r => r.Line);
    }

    private IEnumerable<Row> All()
    {
        for (var r = 0; r < _table.RowCount; r++)
            yield return new Row(_table, r);
    }

    public readonly struct Row(CuratedTable table, int index)
    {
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
