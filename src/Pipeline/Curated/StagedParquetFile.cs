using YouthJustice.Pipeline.Curated.Parquet;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Curated;

/// <summary>
/// A curated Parquet file being written to local temporary storage, one row group at a time, so memory stays
/// flat whatever the drop's size. Nothing reaches the curated container until the drop as a whole is accepted.
/// A full row group is encoded and written on another thread while rows fill another buffer (from the drop's
/// <see cref="RowGroupBuffers"/>), so reading and validating the next rows overlaps the Parquet encoding of the last ones.
/// </summary>
public sealed class StagedParquetFile : IAsyncDisposable
{
    /// <summary>
    /// Rows per row group. A drop's rows go to a file per quarter, each file fills a buffer of one row group, and the drop
    /// has one buffer more (<see cref="RowGroupBuffers"/>), so this sets most of the row path's memory: about 13 bytes a
    /// row for each column of a buffer, about a megabyte a buffer for the widest drop types. Halved from 32,768: a year of
    /// attendance fills four quarters' files at once, and the smaller buffers took 20 MB off the 3.8 M-row benchmark's peak
    /// at no measurable cost in time; row groups this size are still read by DuckDB and Parquet.Net in few steps.
    /// </summary>
    public const int RowGroupSize = 16_384;
    private readonly RowGroupBuffers _buffers;
    private CuratedColumn[] _columns;
    private Task _flushing = Task.CompletedTask;
    private readonly FileStream _file;
    private readonly CuratedParquetWriter _writer;
    private readonly Dictionary<string, string> _metadata;
    private int _buffered;
    private bool _completed;

    private StagedParquetFile(Quarter period, string path, RowGroupBuffers buffers, FileStream file, CuratedParquetWriter writer,
        Dictionary<string, string> metadata)
    {
        _metadata = metadata;
        Period = period;
        Path = path;
        _buffers = buffers;
        _columns = buffers.First();
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
    /// <param name="buffers">The drop's buffers, shared by its files (all of <paramref name="layout"/>); the file's own if null.</param>
    public static StagedParquetFile Create(Quarter period, IReadOnlyList<(string Name, ColumnKind Kind)> layout,
        IReadOnlyDictionary<string, string> metadata, string owner, string directory, RowGroupBuffers? buffers = null)
    {
        // Named after its provider, so a stale one in the staging folder says whose it was.
        var path = System.IO.Path.Combine(CreateStagingDirectory(directory), $"yjp-{owner}-{Guid.NewGuid():N}.parquet");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        var writer = new CuratedParquetWriter(file, layout);
        return new StagedParquetFile(period, path, buffers ?? new RowGroupBuffers(layout), file, writer,
            new Dictionary<string, string>(metadata));
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
        _columns = await _buffers.NextAsync(cancellationToken);
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
        try
        {
            _writer.WriteRowGroup(columns, rows, cancellationToken);
        }
        finally
        {
            // Even after a failed write, so a file waiting for a buffer is not left waiting; the failure surfaces where
            // this file next awaits its flush.
            foreach (var c in columns) c.Clear();
            _buffers.Return(columns);
        }
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

/// <summary>
/// The row-group buffers of one drop's staged files (all of one layout): one for each file to fill, and one more, so a
/// file whose buffer is full hands it to be encoded on another thread and goes on with the spare. When two files fill
/// while a buffer is still being encoded, the second waits for it (encoding a row group takes about a millisecond)
/// rather than making another. A year of attendance goes to four quarters' files: five buffers, where two per file
/// were eight.
/// </summary>
public sealed class RowGroupBuffers(IReadOnlyList<(string Name, ColumnKind Kind)> layout)
{
    private readonly Lock _gate = new();
    private readonly Stack<CuratedColumn[]> _spare = new();
    private TaskCompletionSource<CuratedColumn[]>? _waiting;
    private int _files, _made;

    /// <summary>A new file's first buffer.</summary>
    internal CuratedColumn[] First()
    {
        lock (_gate)
        {
            _files++;
            if (_spare.TryPop(out var spare)) return spare;
            _made++;
        }
        return New();
    }

    /// <summary>
    /// The buffer that follows a full one (being encoded): a spare; a new one while there are no more than one per file and
    /// one more; or else the next one encoded.
    /// </summary>
    internal async ValueTask<CuratedColumn[]> NextAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<CuratedColumn[]>? waiting = null;
        lock (_gate)
        {
            if (_spare.TryPop(out var spare)) return spare;
            if (_made <= _files) _made++;
            else waiting = _waiting = new TaskCompletionSource<CuratedColumn[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return waiting is null ? New() : await waiting.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A buffer written and cleared: to the file waiting for one, or kept as a spare.</summary>
    internal void Return(CuratedColumn[] columns)
    {
        TaskCompletionSource<CuratedColumn[]>? waiting;
        lock (_gate)
        {
            (waiting, _waiting) = (_waiting, null);
            if (waiting is null) _spare.Push(columns);
        }
        waiting?.SetResult(columns);
    }

    private CuratedColumn[] New() => [.. layout.Select(c => new CuratedColumn(c.Name, c.Kind, StagedParquetFile.RowGroupSize))];
}
