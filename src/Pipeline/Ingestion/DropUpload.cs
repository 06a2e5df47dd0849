using System.Buffers;
using YouthJustice.Pipeline.Curated;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// An upload read once from storage. The drop must be claimed under its id, a hash of every byte, before a row of it is
/// processed; so it is downloaded once, hashed on the way, into a local spool file, and the row path reads that copy
/// rather than a second download. The spool is the user's alone (the staging folder), deleted when closed, and swept
/// with the staged files if a killed process leaves it.
/// </summary>
internal sealed class DropUpload : IAsyncDisposable
{
    private readonly FileStream _spool;

    private DropUpload(FileStream spool, string dropId)
    {
        _spool = spool;
        DropId = dropId;
    }

    /// <summary>The drop id (<see cref="DropIdHash"/>) of the whole upload.</summary>
    public string DropId { get; }

    /// <summary>Reads <paramref name="source"/> to its end into the spool, hashing it.</summary>
    public static async Task<DropUpload> ReadAsync(Stream source, string provider, string dropType, CancellationToken cancellationToken)
    {
        var path = Path.Combine(StagedParquetFile.CreateStagingDirectory(), $"yjp-upload-{Guid.NewGuid():N}.csv");
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var hash = new DropIdHash(provider, dropType);
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
                await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            await spool.FlushAsync(cancellationToken);
            return new DropUpload(spool, hash.Finish());
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The upload's bytes from the start, for the row path (which may close it: the spool goes with it).</summary>
    public Stream Content()
    {
        _spool.Position = 0;
        return _spool;
    }

    public ValueTask DisposeAsync() => _spool.DisposeAsync();
}
