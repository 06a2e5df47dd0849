using Parquet;
using Parquet.Schema;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Curated;

/// <summary>
/// A curated Parquet file being written to local temporary storage, one row group at a time, so memory stays
/// flat whatever the drop's size. Nothing reaches the curated container until the drop as a whole is accepted.
/// </summary>
public sealed class StagedParquetFile : IAsyncDisposable
{
    public const int RowGroupSize = 100_000;
    private readonly CuratedColumn[] _columns;
    private readonly FileStream _file;
    private readonly ParquetWriter _writer;
    private int _buffered;
    private bool _completed;

    private StagedParquetFile(Quarter period, string path, CuratedColumn[] columns, FileStream file, ParquetWriter writer)
    {
        Period = period;
        Path = path;
        _columns = columns;
        _file = file;
        _writer = writer;
    }

    public Quarter Period { get; }
    public string Path { get; }
    public long Rows { get; private set; }

    public static async Task<StagedParquetFile> CreateAsync(Quarter period, IReadOnlyList<(string Name, ColumnKind Kind)> layout, CancellationToken cancellationToken)
    {
        var columns = layout.Select(c => new CuratedColumn(c.Name, c.Kind, RowGroupSize)).ToArray();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"yjp-{Guid.NewGuid():N}.parquet");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        var writer = await ParquetWriter.CreateAsync(schema, file, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: cancellationToken);
        return new StagedParquetFile(period, path, columns, file, writer);
    }

    /// <summary>The column at a layout position, for the row being appended.</summary>
    public CuratedColumn Column(int index) => _columns[index];

    /// <summary>The buffer position of the row being appended.</summary>
    public int CurrentRow => _buffered;

    public async ValueTask CommitRowAsync(CancellationToken cancellationToken)
    {
        _buffered++;
        Rows++;
        if (_buffered == RowGroupSize) await FlushAsync(cancellationToken);
    }

    /// <summary>Finishes the file and returns it positioned at its start, ready to upload.</summary>
    public async Task<Stream> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_buffered > 0) await FlushAsync(cancellationToken);
        await _writer.DisposeAsync();
        _completed = true;
        await _file.FlushAsync(cancellationToken);
        _file.Position = 0;
        return _file;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        using var group = _writer.CreateRowGroup();
        foreach (var c in _columns) await c.WriteAsync(group, _buffered, cancellationToken);
        _buffered = 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed) await _writer.DisposeAsync();
        await _file.DisposeAsync();
    }
}
