using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Parquet;
using Parquet.Schema;

namespace YouthJustice.Pipeline.Curated;

/// <summary>
/// The rows of curated Parquet files read back column by column, for linkage and KPIs. A file's metadata values
/// (drop id, arrival) read as columns too.
/// </summary>
public sealed class CuratedTable
{
    private readonly Dictionary<string, Array> _columns = new(StringComparer.Ordinal);

    public int RowCount { get; private set; }

    public string? Text(string column, int row) => ((string?[])_columns[column])[row];
    public DateOnly? Date(string column, int row) => ((DateOnly?[])_columns[column])[row];
    public int? Integer(string column, int row) => ((int?[])_columns[column])[row];
    public bool? Flag(string column, int row) => ((bool?[])_columns[column])[row];
    public double? Number(string column, int row) => ((double?[])_columns[column])[row];

    /// <summary>
    /// Reads the given columns of every Parquet blob under a prefix, in blob-name order. For looking at what is
    /// stored (tests, tools) only: a listing also finds files no committed drop owns. The pipeline reads through the
    /// ledger (<see cref="CommittedCurated"/>) with the other overload.
    /// </summary>
    public static async Task<CuratedTable> ReadAsync(BlobContainerClient container, string prefix, IReadOnlyList<string> columns,
        CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
            if (item.Name.EndsWith(".parquet", StringComparison.Ordinal)) names.Add(item.Name);
        return await ReadAsync(container, names, columns, cancellationToken);
    }

    /// <summary>
    /// Reads the given columns of exactly these blobs, in blob-name order. A blob that has gone (retention deleted it
    /// after the ledger was read) is skipped, as its drop no longer counts.
    /// </summary>
    public static async Task<CuratedTable> ReadAsync(BlobContainerClient container, IEnumerable<string> blobs,
        IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var names = blobs.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var table = new CuratedTable();
        var parts = columns.ToDictionary(c => c, _ => new List<Array>(), StringComparer.Ordinal);
        foreach (var name in names)
        {
            await using var local = await DownloadAsync(container.GetBlobClient(name), cancellationToken);
            if (local is null) continue;
            await using var reader = await ParquetReader.CreateAsync(local, new ParquetOptions { UseDateOnlyTypeForDates = true },
                cancellationToken: cancellationToken);
            table.RowCount += await ReadPartsAsync(reader, name, columns, parts, cancellationToken);
        }
        foreach (var column in columns) table._columns[column] = Concat(parts[column], table.RowCount);
        return table;
    }

    /// <summary>The given columns of one Parquet file already open, and the file's key-value metadata.</summary>
    public static async Task<(CuratedTable Table, IReadOnlyDictionary<string, string> Metadata)> ReadAsync(Stream parquet, string name,
        IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var table = new CuratedTable();
        var parts = columns.ToDictionary(c => c, _ => new List<Array>(), StringComparer.Ordinal);
        await using var reader = await ParquetReader.CreateAsync(parquet, new ParquetOptions { UseDateOnlyTypeForDates = true },
            cancellationToken: cancellationToken);
        table.RowCount = await ReadPartsAsync(reader, name, columns, parts, cancellationToken);
        foreach (var column in columns) table._columns[column] = Concat(parts[column], table.RowCount);
        return (table, new Dictionary<string, string>(reader.CustomMetadata, StringComparer.Ordinal));
    }

    private static async Task<int> ReadPartsAsync(ParquetReader reader, string name, IReadOnlyList<string> columns,
        Dictionary<string, List<Array>> parts, CancellationToken cancellationToken)
    {
        var total = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            foreach (var column in columns)
            {
                if (reader.Schema.DataFields.FirstOrDefault(f => f.Name == column) is { } field)
                    parts[column].Add(await ReadColumnAsync(group, field, rows, cancellationToken));
                else if (reader.CustomMetadata.TryGetValue(column, out var constant))
                    parts[column].Add(Enumerable.Repeat<string?>(constant, rows).ToArray());
                else
                    throw new InvalidDataException($"Curated file {name} has no column or metadata {column}.");
            }
            total += rows;
        }
        return total;
    }

    /// <summary>The rows of both tables, <paramref name="first"/>'s first; the two must have the same columns.</summary>
    public static CuratedTable Concat(CuratedTable first, CuratedTable second)
    {
        var table = new CuratedTable { RowCount = first.RowCount + second.RowCount };
        foreach (var column in first._columns.Keys)
        {
            // An empty side's columns carry no type of their own (text by default): only the other side's count.
            var parts = new[] { first, second }.Where(t => t.RowCount > 0).Select(t => t._columns[column]).ToList();
            table._columns[column] = parts.Count == 0 ? first._columns[column] : Concat(parts, table.RowCount);
        }
        return table;
    }

    /// <summary>The given rows, in the order given.</summary>
    public CuratedTable Take(IReadOnlyList<int> rows)
    {
        var table = new CuratedTable { RowCount = rows.Count };
        foreach (var (name, values) in _columns)
        {
            var taken = Array.CreateInstance(values.GetType().GetElementType()!, rows.Count);
            for (var i = 0; i < rows.Count; i++) taken.SetValue(values.GetValue(rows[i]), i);
            table._columns[name] = taken;
        }
        return table;
    }

    /// <summary>Writes the table as one Parquet file (one row group), each column typed as it was read.</summary>
    public async Task WriteAsync(Stream destination, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var fields = _columns.Select(c => (Field: CuratedColumn.FieldFor(c.Key, KindOf(c.Value)), Values: c.Value)).ToList();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields.Select(f => (Field)f.Field).ToArray()),
            destination, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: cancellationToken);
        writer.CustomMetadata = new Dictionary<string, string>(metadata);
        using var group = writer.CreateRowGroup();
        foreach (var (field, values) in fields)
        {
            var write = values switch
            {
                string?[] a => group.WriteAsync(field, new ArraySegment<string?>(a)!, null),
                DateOnly?[] a => group.WriteAsync<DateOnly>(field, a.AsMemory(), null, null, cancellationToken),
                int?[] a => group.WriteAsync<int>(field, a.AsMemory(), null, null, cancellationToken),
                double?[] a => group.WriteAsync<double>(field, a.AsMemory(), null, null, cancellationToken),
                bool?[] a => group.WriteAsync<bool>(field, a.AsMemory(), null, null, cancellationToken),
                _ => throw new InvalidDataException($"Unexpected column type {values.GetType()} for {field.Name}."),
            };
            await write;
        }
    }

    private static ColumnKind KindOf(Array values) => values switch
    {
        DateOnly?[] => ColumnKind.Date,
        int?[] => ColumnKind.Integer,
        double?[] => ColumnKind.Number,
        bool?[] => ColumnKind.Flag,
        _ => ColumnKind.Text,
    };

    private static async Task<Array> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var a = new string?[rows];
            await group.ReadAsync(field, a.AsMemory()!, null, ct);
            return a;
        }
        if (type == typeof(DateOnly)) { var a = new DateOnly?[rows]; await group.ReadAsync<DateOnly>(field, a, null, ct); return a; }
        if (type == typeof(DateTime))
        {
            var a = new DateTime?[rows];
            await group.ReadAsync<DateTime>(field, a, null, ct);
            return a.Select(d => d is { } v ? DateOnly.FromDateTime(v) : (DateOnly?)null).ToArray();
        }
        if (type == typeof(int)) { var a = new int?[rows]; await group.ReadAsync<int>(field, a, null, ct); return a; }
        if (type == typeof(double)) { var a = new double?[rows]; await group.ReadAsync<double>(field, a, null, ct); return a; }
        if (type == typeof(bool)) { var a = new bool?[rows]; await group.ReadAsync<bool>(field, a, null, ct); return a; }
        throw new InvalidDataException($"Unexpected column type {type} for {field.Name}.");
    }

    private static Array Concat(List<Array> parts, int total)
    {
        if (parts.Count == 1) return parts[0];
        var elementType = parts.Count > 0 ? parts[0].GetType().GetElementType()! : typeof(string);
        var result = Array.CreateInstance(elementType, total);
        var offset = 0;
        foreach (var p in parts)
        {
            Array.Copy(p, 0, result, offset, p.Length);
            offset += p.Length;
        }
        return result;
    }

    private static async Task<Stream?> DownloadAsync(BlobClient blob, CancellationToken ct)
    {
        var path = Path.Combine(StagedParquetFile.CreateStagingDirectory(), $"yjp-read-{Guid.NewGuid():N}.parquet");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            await blob.DownloadToAsync(file, ct);
            Hosting.PipelineMetrics.BlobRead(blob.BlobContainerName);
        }
        catch (Exception ex)
        {
            await file.DisposeAsync();
            if (ex is Azure.RequestFailedException { Status: 404 }) return null;
            throw;
        }
        file.Position = 0;
        return file;
    }
}
