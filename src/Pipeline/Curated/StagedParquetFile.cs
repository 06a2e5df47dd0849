using YouthJustice.Pipeline.Curated.Parquet;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Curated;

/// <summary>
/// A curated Parquet file being written to local temporary storage, one row group at a time, so memory stays
/// flat whatever the drop's size. Nothing reaches the curated container until the drop as a whole is accepted.
/// Two row-group buffers take turns: while one is encoded and written on another thread, rows fill the other,
/// so reading and validating the next rows overlaps the Parquet encoding of the last ones.
/// </summary>
public sealed class StagedParquetFile : IAsyncDisposable
{
    /// <summary>
    /// Rows per row group. A drop's rows go to a file per quarter, and each file holds two row groups of buffers (one
    /// filling, one being encoded), so this sets most of the row path's memory: about 13 bytes a row for each column of a
    /// buffer, a megabyte or two per file for the widest drop types. Halved from 32,768: a year of attendance fills four
    /// quarters' files at once, and the smaller buffers took 20 MB off the 3.8 M-row benchmark's peak at no measurable
    /// cost in time; row groups this size are still read by DuckDB and Parquet.Net in few steps.
    /// </summary>
    public const int RowGroupSize = 16_384;
    private readonly CuratedColumn[]?[] _buffers;
    private readonly Func<CuratedColumn[]> _newBuffer;
    private CuratedColumn[] _columns;
    private Task _flushing = Task.CompletedTask;
    private readonly FileStream _file;
    private readonly CuratedParquetWriter _writer;
    private readonly Dictionary<string, string> _metadata;
    private int _buffered;
    private bool _completed;

    private StagedParquetFile(Quarter period, string path, Func<CuratedColumn[]> newBuffer, FileStream file, CuratedParquetWriter writer,
        Dictionary<string, string> metadata)
    {
        _metadata = metadata;
        Period = period;
        Path = path;
        _newBuffer = newBuffer;
        // The second buffer is made when the first row group is full: most drops never fill one.
        _buffers = [newBuffer(), null];
        _columns = _buffers[0]!;
        _file = file;
        _writer = writer;
    }

    public Quarter Period { get; }
    public string Path { get; }
    public long Rows { get; private set; }

    /// <summary>
    /// Where staged and downloaded Parquet files live while a drop or a read is in progress, unless configured otherwise
    /// (<c>Ingestion:StagingDirectory</c>). They are deleted when closed; a process killed meanwhile leaves them, and the
    /// orphan sweep removes the stale ones.
    /// </summary>
    public static string DefaultStagingDirectory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "yjp-staging");

    /// <summary>Creates <paramref name="directory"/> (the default staging folder if null) when missing, and returns it.</summary>
    public static string CreateStagingDirectory(string? directory = null)
    {
        directory ??= DefaultStagingDirectory;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        // Staged rows are pseudonymised, but they are still the children's: the folder is the user's alone.
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    /// <param name="metadata">
    /// Values the same for every row (arrival, YOT, key version), kept once as file metadata; the drop id joins them when the
    /// file is completed.
    /// </param>
    /// <param name="owner">Whose rows these are (the provider): the staged file is named after it.</param>
    /// <param name="directory">The staging folder (see <see cref="DefaultStagingDirectory"/>).</param>
    public static StagedParquetFile Create(Quarter period, IReadOnlyList<(string Name, ColumnKind Kind)> layout,
        IReadOnlyDictionary<string, string> metadata, string owner, string directory)
    {
        CuratedColumn[] Buffer() => layout.Select(c => new CuratedColumn(c.Name, c.Kind, RowGroupSize)).ToArray();
        // Named after its provider, so a stale one in the staging folder says whose it was.
        var path = System.IO.Path.Combine(CreateStagingDirectory(directory), $"yjp-{owner}-{Guid.NewGuid():N}.parquet");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        var writer = new CuratedParquetWriter(file, layout);
        return new StagedParquetFile(period, path, Buffer, file, writer, new Dictionary<string, string>(metadata));
    }

    /// <summary>The column at a layout position, for the row being appended.</summary>
    public CuratedColumn Column(int index) => _columns[index];

    /// <summary>The buffer position of the row being appended.</summary>
    public int CurrentRow => _buffered;

    public async ValueTask CommitRowAsync(CancellationToken cancellationToken)
    {
        _buffered++;
        Rows++;
        if (_buffered < RowGroupSize) return;
        await _flushing;
        _flushing = FlushInBackground(_columns, _buffered, cancellationToken);
        _columns = ReferenceEquals(_columns, _buffers[0]) ? _buffers[1] ??= _newBuffer() : _buffers[0]!;
        _buffered = 0;
    }

    // Its own method: a lambda in CommitRowAsync would capture its parameter, and the compiler allocates such a closure on
    // every call, once per row, not once per row group.
    private Task FlushInBackground(CuratedColumn[] full, int rows, CancellationToken cancellationToken) =>
        Task.Run(() => Flush(full, rows, cancellationToken), cancellationToken);

    /// <summary>
    /// Finishes the file, with <paramref name="dropId"/> in its metadata (the footer is written last), and returns it positioned
    /// at its start, ready to upload.
    /// </summary>
    public async Task<Stream> CompleteAsync(string dropId, CancellationToken cancellationToken)
    {
        await _flushing;
        if (_buffered > 0) Flush(_columns, _buffered, cancellationToken);
        _buffered = 0;
        _metadata[CuratedLayout.DropId] = dropId;
        _writer.Finish(_metadata);
        _completed = true;
        await _file.FlushAsync(cancellationToken);
        _file.Position = 0;
        return _file;
    }

    private void Flush(CuratedColumn[] columns, int rows, CancellationToken cancellationToken)
    {
        _writer.WriteRowGroup(columns, rows, cancellationToken);
        foreach (var c in columns) c.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _flushing;
        }
        catch (Exception) when (!_completed)
        {
            // The drop is being abandoned; the error that matters has already surfaced.
        }
        await _file.DisposeAsync();
    }
}
