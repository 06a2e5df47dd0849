using System.Text;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Linkage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Ingestion;

/// <summary>
/// The upload is read once: the row path reads it while it downloads, and the drop id is the hash of every byte, whatever
/// the row path read. A storage failure part-way is a storage failure (the drop is tried again), never a refusal.
/// </summary>
public sealed class DropDownloadTests
{
    // Several read-ahead chunks and more than the read-ahead holds, so the download waits on the row path at least once.
    private static readonly byte[] Upload = Encoding.UTF8.GetBytes("a,b\r\n" + string.Concat(Enumerable.Range(0, 120_000)
        .Select(i => $"{i},row {i}\r\n")));

    [Fact]
    public async Task The_row_path_reads_every_byte_in_order_and_the_id_is_the_hash_of_them()
    {
        await using var download = DropDownload.Start(new MemoryStream(Upload), "school-a", "school-attendance", default);
        var read = new MemoryStream();
        await download.Content.CopyToAsync(read, 1000);

        Assert.Equal(Upload, read.ToArray());
        Assert.Equal(await DropLedger.DropIdAsync("school-a", "school-attendance", new MemoryStream(Upload), default),
            await download.FinishAsync(default));
    }

    [Fact]
    public async Task A_row_path_that_stops_early_still_gets_the_id_of_the_whole_file()
    {
        await using var download = DropDownload.Start(new MemoryStream(Upload), "school-a", "school-attendance", default);
        var head = new byte[100];
        Assert.Equal(100, await download.Content.ReadAtLeastAsync(head, 100));

        Assert.Equal(await DropLedger.DropIdAsync("school-a", "school-attendance", new MemoryStream(Upload), default),
            await download.FinishAsync(default));
    }

    [Fact]
    public async Task Storage_failing_part_way_reaches_the_row_path_as_an_io_error_and_refuses_nothing()
    {
        var context = TestData.RowPathContext(new DropSchema
        {
            Name = "test-type",
            Linkage = Linkages.None,
            Fields = [new DropField { Name = "a" }, new DropField { Name = "b" }],
        });
        await using var download = DropDownload.Start(new FailingStream(Upload, failAfter: 300_000), "p", "test-type", default);

        // Not a refusal ("a check could not run"): that would quarantine a good file because the network dropped.
        var processor = new DropProcessor(SchemaCatalogue.Default, StagedParquetFile.DefaultStagingDirectory);
        var failure = await Assert.ThrowsAsync<IOException>(() =>
            processor.ProcessAsync(download.Content, context, CohortIndex.Empty, default));
        Assert.IsType<HttpRequestException>(failure.InnerException);
        await Assert.ThrowsAsync<IOException>(() => download.FinishAsync(default));
    }

    /// <summary>A download whose connection drops after <paramref name="failAfter"/> bytes.</summary>
    private sealed class FailingStream(byte[] bytes, int failAfter) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter) throw new HttpRequestException("The response ended prematurely.");
            return base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - Position)], cancellationToken);
        }
    }
}
