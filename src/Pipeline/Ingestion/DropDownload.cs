using System.Buffers;
using System.Threading.Channels;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// An upload read once from storage, hashed on the way. A task on another core reads ahead from storage into a few
/// pooled chunks and feeds the drop-id hash; the row path reads <see cref="Content"/> as those chunks arrive. So the
/// file is read once, downloading and hashing overlap parsing, and nothing but the chunks in flight is held: memory is
/// flat whatever the drop's size, and no copy of it is written to disk.
/// <para>
/// The drop id is known only when the last byte has been read (<see cref="FinishAsync"/>); the rows are processed before
/// the drop is claimed under it (see <see cref="DropIngestor"/>), into local staged files that nothing else reads.
/// </para>
/// </summary>
public sealed class DropDownload : IAsyncDisposable
{
    /// <summary>How far the download may run ahead of the row path: a megabyte, whatever the file's size.</summary>
    private const int ChunkSize = 1 << 16, ChunksAhead = 16;

    private readonly Channel<(byte[] Buffer, int Length)> _chunks =
        Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(ChunksAhead) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop;
    private readonly Task<string> _reading;

    private DropDownload(Stream source, string provider, string dropType, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _reading = Task.Run(() => ReadAheadAsync(source, provider, dropType, _stop.Token), CancellationToken.None);
        Content = new ChunkStream(_chunks.Reader);
    }

    /// <summary>Starts reading <paramref name="source"/> (which it disposes) ahead of the row path.</summary>
    public static DropDownload Start(Stream source, string provider, string dropType, CancellationToken cancellationToken) =>
        new(source, provider, dropType, cancellationToken);

    /// <summary>The upload's bytes, once, from the start.</summary>
    public Stream Content { get; }

    /// <summary>
    /// Reads what the row path left unread (a refused file is still hashed whole) and returns the drop id
    /// (<see cref="DropIdHash"/>) of every byte.
    /// </summary>
    public async Task<string> FinishAsync(CancellationToken cancellationToken)
    {
        // The hash is fed as the chunks are read from storage, not as the row path reads them: what is left is drained.
        await foreach (var chunk in _chunks.Reader.ReadAllAsync(cancellationToken)) ArrayPool<byte>.Shared.Return(chunk.Buffer);
        return await _reading;
    }

    private async Task<string> ReadAheadAsync(Stream source, string provider, string dropType, CancellationToken cancellationToken)
    {
        try
        {
            await using (source)
            {
                using var hash = new DropIdHash(provider, dropType);
                while (true)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                    // A whole chunk where the source has one, so the row path's reads are few and large.
                    var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false,
                        cancellationToken);
                    if (read == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        break;
                    }
                    hash.Append(buffer.AsSpan(0, read));
                    await _chunks.Writer.WriteAsync((buffer, read), cancellationToken);
                }
                _chunks.Writer.Complete();
                return hash.Finish();
            }
        }
        catch (Exception ex)
        {
            // The row path's next read throws it. It must read as storage failing, never as a check crashing on the
            // file's content (which would refuse a good drop): anything not already an I/O, storage or cancellation error
            // becomes an IOException around it.
            _chunks.Writer.TryComplete(ex is IOException or Azure.RequestFailedException or OperationCanceledException ? ex
                : new IOException("The upload could not be read from storage.", ex));
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception)
        {
            // Stopped, or already failed: whoever read the content has seen the error that matters.
        }
        while (_chunks.Reader.TryRead(out var chunk)) ArrayPool<byte>.Shared.Return(chunk.Buffer);
        await Content.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>The chunks as a forward-only stream.</summary>
    private sealed class ChunkStream(ChannelReader<(byte[] Buffer, int Length)> chunks) : Stream
    {
        private byte[]? _current;
        private int _offset, _length;
        private bool _ended;

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            if (destination.IsEmpty) return 0;
            while (_current is null || _offset == _length)
            {
                Release();
                if (_ended) return 0;
                // WaitToReadAsync rethrows the exception the download ended with, as it was thrown.
                if (!await chunks.WaitToReadAsync(cancellationToken))
                {
                    _ended = true;
                    return 0;
                }
                if (chunks.TryRead(out var chunk)) (_current, _offset, _length) = (chunk.Buffer, 0, chunk.Length);
            }
            var n = Math.Min(destination.Length, _length - _offset);
            _current.AsMemory(_offset, n).CopyTo(destination);
            _offset += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Release()
        {
            if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }

        protected override void Dispose(bool disposing)
        {
            Release();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
