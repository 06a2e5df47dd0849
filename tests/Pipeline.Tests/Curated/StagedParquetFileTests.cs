using Parquet;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Tests.Curated;

/// <summary>A staged file over several row groups: buffers that grow with the rows and take turns lose or repeat nothing.</summary>
public sealed class StagedParquetFileTests
{
    [Fact]
    public async Task Every_row_reads_back_across_row_groups_and_a_column_no_row_sets_stays_empty()
    {
        var rows = 2 * StagedParquetFile.RowGroupSize + 1_500;
        (string, ColumnKind)[] layout = [("line", ColumnKind.Integer), ("child_id", ColumnKind.Text), ("unshared", ColumnKind.Text)];
        await using var file = await StagedParquetFile.CreateAsync(new Quarter(2026, 2), layout, new Dictionary<string, string>(), default);
        for (var i = 0; i < rows; i++)
        {
            file.Column(0).Set(file.CurrentRow, CellValue.OfInteger(i + 2));
            file.Column(1).Set(file.CurrentRow, CellValue.OfText(i % 7 == 0 ? null : $"child-{i % 500}"));
            await file.CommitRowAsync(default);
        }

        await using var reader = await ParquetReader.CreateAsync(await file.CompleteAsync(default));
        var fields = reader.Schema.DataFields;
        var lines = new List<int?>();
        var children = new List<string?>();
        var unshared = new List<string?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            lines.AddRange((int?[])(await group.ReadColumnAsync(fields[0])).Data);
            children.AddRange((string?[])(await group.ReadColumnAsync(fields[1])).Data);
            unshared.AddRange((string?[])(await group.ReadColumnAsync(fields[2])).Data);
        }

        Assert.Equal(3, reader.RowGroupCount);
        Assert.Equal(Enumerable.Range(2, rows).Select(n => (int?)n), lines);
        Assert.Equal(Enumerable.Range(0, rows).Select(i => i % 7 == 0 ? null : $"child-{i % 500}"), children);
        Assert.All(unshared, v => Assert.Null(v));
    }
}
