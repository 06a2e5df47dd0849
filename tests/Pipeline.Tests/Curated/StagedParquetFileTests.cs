using Parquet;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Periods;

// Not "…Tests.Curated": that namespace would hide YouthJustice.Pipeline.Curated from the tests that write "Curated.X".
namespace YouthJustice.Pipeline.Tests.CuratedFiles;

/// <summary>A staged file over several row groups: buffers that grow with the rows and take turns lose or repeat nothing.</summary>
public sealed class StagedParquetFileTests
{
    [Fact]
    public async Task Every_row_reads_back_across_row_groups_and_a_column_no_row_sets_stays_empty_and_the_drop_id_is_in_the_footer()
    {
        var rows = 2 * StagedParquetFile.RowGroupSize + 1_500;
        (string, ColumnKind)[] layout = [("line", ColumnKind.Integer), ("child_id", ColumnKind.Text), ("unshared", ColumnKind.Text)];
        await using var file =
            StagedParquetFile.Create(new Quarter(2026, 2), layout, new Dictionary<string, string>(), "school-a",
                StagedParquetFile.DefaultStagingDirectory);
        for (var i = 0; i < rows; i++)
        {
            file.Column(0).Set(file.CurrentRow, CellValue.OfInteger(i + 2));
            file.Column(1).Set(file.CurrentRow, CellValue.OfText(i % 7 == 0 ? null : $"child-{i % 500}"));
            await file.CommitRowAsync(default);
        }

        // The drop id is known only after the last row (it hashes every byte): it is stamped in the footer at completion.
        var content = await file.CompleteAsync("drop-1", default);
        await using (var reader = await ParquetReader.CreateAsync(content, leaveStreamOpen: true))
        {
            Assert.Equal(3, reader.RowGroupCount);
            Assert.Equal("drop-1", reader.CustomMetadata[CuratedLayout.DropId]);
        }
        content.Position = 0;
        var (table, _) = await CuratedTable.ReadAsync(content, "staged", ["line", "child_id", "unshared"], default);

        Assert.Equal(rows, table.RowCount);
        Assert.Equal(Enumerable.Range(2, rows).Select(n => (int?)n), Enumerable.Range(0, rows).Select(r => table.Integer("line", r)));
        Assert.Equal(Enumerable.Range(0, rows).Select(i => i % 7 == 0 ? null : $"child-{i % 500}"),
            Enumerable.Range(0, rows).Select(r => table.Text("child_id", r)));
        Assert.All(Enumerable.Range(0, rows), r => Assert.Null(table.Text("unshared", r)));
    }

    [Fact]
    public async Task Files_of_one_drop_that_share_their_buffers_each_read_back_their_own_rows()
    {
        // Three quarters' files filling at different rates, as a year of attendance does, with one buffer more than files:
        // a buffer handed from one file to another must carry nothing of the first.
        (string, ColumnKind)[] layout = [("line", ColumnKind.Integer), ("child_id", ColumnKind.Text)];
        var buffers = new RowGroupBuffers(layout);
        var files = new List<StagedParquetFile>();
        try
        {
            for (var q = 1; q <= 3; q++)
                files.Add(StagedParquetFile.Create(new Quarter(2026, q), layout, new Dictionary<string, string>(), "school-a",
                    StagedParquetFile.DefaultStagingDirectory, buffers));
            var expected = files.Select(_ => new List<(int, string?)>()).ToList();
            for (var i = 0; expected[2].Count < 2 * StagedParquetFile.RowGroupSize + 100; i++)
            {
                var q = i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2;
                var file = files[q];
                // Quarter 1's rows leave every fifth child empty, so a cell left over from another file would show.
                var child = q == 0 && i % 5 == 0 ? null : $"q{q}-child-{i % 300}";
                file.Column(0).Set(file.CurrentRow, CellValue.OfInteger(i));
                file.Column(1).Set(file.CurrentRow, CellValue.OfText(child));
                expected[q].Add((i, child));
                await file.CommitRowAsync(default);
            }

            for (var q = 0; q < files.Count; q++)
            {
                var content = await files[q].CompleteAsync($"drop-{q}", default);
                var (table, _) = await CuratedTable.ReadAsync(content, "staged", ["line", "child_id"], default);
                Assert.Equal(expected[q], Enumerable.Range(0, table.RowCount)
                    .Select(r => (table.Integer("line", r)!.Value, table.Text("child_id", r))).ToList());
            }
        }
        finally
        {
            foreach (var f in files) await f.DisposeAsync();
        }
    }
}
