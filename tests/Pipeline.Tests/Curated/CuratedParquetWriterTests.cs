using System.Globalization;
using DuckDB.NET.Data;
using Parquet;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Tests.CuratedFiles;

/// <summary>
/// The staged files are written by the pipeline's own Parquet writer and read by Parquet.Net (the KPIs), DuckDB and
/// Power BI: every kind of column, empty cells in every pattern, text that repeats and text that does not, read back
/// the same by both readers, across row groups.
/// </summary>
public sealed class CuratedParquetWriterTests
{
    private static readonly (string Name, ColumnKind Kind)[] Layout =
    [
        ("line", ColumnKind.Integer), ("code", ColumnKind.Text), ("note", ColumnKind.Text), ("day", ColumnKind.Date),
        ("band", ColumnKind.Integer), ("hours", ColumnKind.Number), ("flag", ColumnKind.Flag), ("unshared", ColumnKind.Text),
        ("unshared_day", ColumnKind.Date), ("unshared_flag", ColumnKind.Flag), ("unshared_hours", ColumnKind.Number),
        ("jumpy", ColumnKind.Integer),
    ];

    private sealed record Row(int Line, string? Code, string? Note, DateOnly? Day, int? Band, double? Hours, bool? Flag, int? Jumpy);

    private static List<Row> Rows(int count)
    {
        var random = new Random(7);
        string[] codes = ["/", "\\", "L", "I", "M", "O", "C2", "B", "#", "É", "😀x"];
        var rows = new List<Row>(count);
        for (var i = 0; i < count; i++)
        {
            // Runs of every length around the encoder's eight, empty cells alone, in runs, and never.
            var band = (i / (1 + i % 13)) % 5;
            rows.Add(new Row(
                i + 2,
                random.Next(9) == 0 ? null : codes[random.Next(codes.Length)],
                // Free text: mostly different on every row, now and then longer than any statistic is kept for.
                i % 3 == 0 ? null : i % 997 == 5 ? new string('x', 300) + i : $"note {i} – café",
                (i / 17) % 11 == 0 ? null : new DateOnly(2025, 9, 1).AddDays(i / 40 % 300),
                i % 1000 < 40 ? null : band - 2,
                random.Next(4) == 0 ? null : Math.Round(random.NextDouble() * 10, 2),
                random.Next(5) == 0 ? null : random.Next(2) == 0,
                // Integers that hardly repeat, up and down by anything up to the whole range: the delta encoding's widest case.
                i % 11 == 0 ? null : i % 101 == 7 ? int.MinValue : i % 101 == 8 ? int.MaxValue : random.Next(int.MinValue, int.MaxValue)));
        }
        return rows;
    }

    private static async Task<Stream> WriteAsync(IReadOnlyList<Row> rows)
    {
        var file = StagedParquetFile.Create(new Quarter(2026, 1), Layout, new Dictionary<string, string> { ["yot"] = "Y1" },
            "school-a", StagedParquetFile.DefaultStagingDirectory);
        foreach (var r in rows)
        {
            var at = file.CurrentRow;
            file.Column(0).Set(at, CellValue.OfInteger(r.Line));
            file.Column(1).Set(at, CellValue.OfText(r.Code));
            file.Column(2).Set(at, CellValue.OfText(r.Note));
            file.Column(3).Set(at, r.Day is { } d ? new CellValue { Present = true, Date = d } : default);
            file.Column(4).Set(at, r.Band is { } b ? CellValue.OfInteger(b) : default);
            file.Column(5).Set(at, r.Hours is { } h ? new CellValue { Present = true, Number = h } : default);
            file.Column(6).Set(at, r.Flag is { } f ? new CellValue { Present = true, Flag = f } : default);
            file.Column(11).Set(at, r.Jumpy is { } j ? CellValue.OfInteger(j) : default);
            await file.CommitRowAsync(default);
        }
        return await file.CompleteAsync("drop-9", default);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(2 * StagedParquetFile.RowGroupSize + 1_234)]
    public async Task Parquet_Net_reads_back_every_value_and_empty_cell_with_the_schema_the_KPIs_expect(int count)
    {
        var rows = Rows(count);
        await using var content = await WriteAsync(rows);
        await using (var reader = await ParquetReader.CreateAsync(content, new ParquetOptions { UseDateOnlyTypeForDates = true },
            leaveStreamOpen: true))
        {
            Assert.Equal((count + StagedParquetFile.RowGroupSize - 1) / StagedParquetFile.RowGroupSize, reader.RowGroupCount);
            Assert.Equal("drop-9", reader.CustomMetadata[CuratedLayout.DropId]);
            Assert.Equal("Y1", reader.CustomMetadata["yot"]);
            // The same declared fields the general-purpose writer gives: the KPIs and the current view read either alike.
            Assert.Equal(Layout.Select(c => CuratedColumn.FieldFor(c.Name, c.Kind)).Select(f => (f.Name, f.ClrType, f.IsNullable)),
                reader.Schema.DataFields.Select(f => (f.Name, f.ClrType, f.IsNullable)));
        }
        content.Position = 0;
        var (table, _) = await CuratedTable.ReadAsync(content, "staged", [.. Layout.Select(c => c.Name)], default);

        Assert.Equal(count, table.RowCount);
        Assert.Equal(rows.Select(r => (int?)r.Line), Enumerable.Range(0, count).Select(i => table.Integer("line", i)));
        Assert.Equal(rows.Select(r => r.Code), Enumerable.Range(0, count).Select(i => table.Text("code", i)));
        Assert.Equal(rows.Select(r => r.Note), Enumerable.Range(0, count).Select(i => table.Text("note", i)));
        Assert.Equal(rows.Select(r => r.Day), Enumerable.Range(0, count).Select(i => table.Date("day", i)));
        Assert.Equal(rows.Select(r => r.Band), Enumerable.Range(0, count).Select(i => table.Integer("band", i)));
        Assert.Equal(rows.Select(r => r.Hours), Enumerable.Range(0, count).Select(i => table.Number("hours", i)));
        Assert.Equal(rows.Select(r => r.Flag), Enumerable.Range(0, count).Select(i => table.Flag("flag", i)));
        Assert.Equal(rows.Select(r => r.Jumpy), Enumerable.Range(0, count).Select(i => table.Integer("jumpy", i)));
        Assert.All(Enumerable.Range(0, count), i => Assert.Null(table.Text("unshared", i)));
        Assert.All(Enumerable.Range(0, count), i => Assert.Null(table.Date("unshared_day", i)));
        Assert.All(Enumerable.Range(0, count), i => Assert.Null(table.Flag("unshared_flag", i)));
        Assert.All(Enumerable.Range(0, count), i => Assert.Null(table.Number("unshared_hours", i)));
    }

    [Fact]
    public async Task DuckDB_reads_the_same_totals_and_the_statistics_match_the_values()
    {
        var rows = Rows(2 * StagedParquetFile.RowGroupSize + 1_234);
        var path = Path.Combine(Path.GetTempPath(), $"writer-test-{Guid.NewGuid():N}.parquet");
        try
        {
            await using (var content = await WriteAsync(rows))
            await using (var copy = File.Create(path))
                await content.CopyToAsync(copy);

            using var db = new DuckDBConnection("DataSource=:memory:");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"""
                SELECT count(*), count(code), count(DISTINCT code), sum(line)::BIGINT, count(note), min(day), max(day), count(day),
                       sum(band)::BIGINT, count(band), round(sum(hours), 2), count(flag), count(*) FILTER (WHERE flag), count(unshared),
                       count(*) FILTER (WHERE code = '😀x'), sum(jumpy)::BIGINT, min(jumpy), max(jumpy)
                FROM read_parquet('{path}')
                """;
            using (var r = cmd.ExecuteReader())
            {
                Assert.True(r.Read());
                var days = rows.Where(x => x.Day is not null).Select(x => x.Day!.Value).ToList();
                Assert.Equal(rows.Count, Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Count(x => x.Code is not null), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Where(x => x.Code is not null).Select(x => x.Code).Distinct().Count(),
                    Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Sum(x => (long)x.Line), Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Count(x => x.Note is not null), Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture));
                Assert.Equal(days.Min(), DateOnly.FromDateTime(r.GetDateTime(5)));
                Assert.Equal(days.Max(), DateOnly.FromDateTime(r.GetDateTime(6)));
                Assert.Equal(days.Count, Convert.ToInt64(r.GetValue(7), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Sum(x => (long)(x.Band ?? 0)), Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Count(x => x.Band is not null), Convert.ToInt64(r.GetValue(9), CultureInfo.InvariantCulture));
                Assert.Equal(Math.Round(rows.Sum(x => x.Hours ?? 0), 2), Convert.ToDouble(r.GetValue(10), CultureInfo.InvariantCulture),
                    precision: 6);
                Assert.Equal(rows.Count(x => x.Flag is not null), Convert.ToInt64(r.GetValue(11), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Count(x => x.Flag == true), Convert.ToInt64(r.GetValue(12), CultureInfo.InvariantCulture));
                Assert.Equal(0, Convert.ToInt64(r.GetValue(13), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Count(x => x.Code == "😀x"), Convert.ToInt64(r.GetValue(14), CultureInfo.InvariantCulture));
                Assert.Equal(rows.Sum(x => (long)(x.Jumpy ?? 0)), Convert.ToInt64(r.GetValue(15), CultureInfo.InvariantCulture));
                Assert.Equal(int.MinValue, Convert.ToInt32(r.GetValue(16), CultureInfo.InvariantCulture));
                Assert.Equal(int.MaxValue, Convert.ToInt32(r.GetValue(17), CultureInfo.InvariantCulture));
            }

            // A reader that skips row groups by their statistics must skip none that hold a match.
            cmd.CommandText = $"""
                SELECT path_in_schema, row_group_id, stats_min_value, stats_max_value, stats_null_count
                FROM parquet_metadata('{path}') WHERE path_in_schema IN ('code', 'day', 'line') ORDER BY row_group_id, path_in_schema
                """;
            using var stats = cmd.ExecuteReader();
            var seen = 0;
            while (stats.Read())
            {
                var group = rows.Skip(Convert.ToInt32(stats.GetValue(1), CultureInfo.InvariantCulture) * StagedParquetFile.RowGroupSize)
                    .Take(StagedParquetFile.RowGroupSize).ToList();
                var (min, max, nulls) = stats.GetString(0) switch
                {
                    "code" => (group.Where(x => x.Code is not null).Select(x => x.Code!).Min(Utf8Order)!,
                        group.Where(x => x.Code is not null).Select(x => x.Code!).Max(Utf8Order)!, group.Count(x => x.Code is null)),
                    "day" => (Iso(group.Where(x => x.Day is not null).Min(x => x.Day!.Value)),
                        Iso(group.Where(x => x.Day is not null).Max(x => x.Day!.Value)), group.Count(x => x.Day is null)),
                    _ => (group.Min(x => x.Line).ToString(CultureInfo.InvariantCulture),
                        group.Max(x => x.Line).ToString(CultureInfo.InvariantCulture), 0),
                };
                Assert.Equal(min, stats.GetString(2));
                Assert.Equal(max, stats.GetString(3));
                Assert.Equal(nulls, Convert.ToInt64(stats.GetValue(4), CultureInfo.InvariantCulture));
                seen++;
            }
            Assert.Equal(9, seen);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly Comparer<string> Utf8Order = Comparer<string>.Create((a, b) =>
        System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b)));
}
