using System.Text;
using DuckDB.NET.Data;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Ingestion;

/// <summary>A drop larger than one Parquet row group: every row arrives once, in order, with its drop's provenance.</summary>
public sealed class LargeDropTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const int Pupils = 650;
    private const int Days = 200;

    [Fact]
    public async Task Every_row_of_a_multi_row_group_drop_is_written_once()
    {
        await fixture.AddAgreementAsync(Agreement("yot-large-case", "yot-large", ["yot-children"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement("school-large", "yot-large", ["school-attendance"]));
        var children = new StringBuilder(ChildrenHeader + "\r\n");
        for (var p = 0; p < Pupils; p++) children.Append($"L-{p},{Upn(p)},,Large,Lee,2012-01-01,1,WBRI,,Y\r\n");
        await fixture.IngestAsync("yot-large-case", "yot-children", children.ToString());

        // 650 pupils × 200 school days × 2 sessions = 260,000 rows: three row groups, the last one partial.
        // Weekdays only: a session mark on a Saturday or Sunday is refused (date-on-weekend).
        var schoolDays = new List<DateOnly>();
        for (var day = new DateOnly(2026, 1, 1); schoolDays.Count < Days; day = day.AddDays(1))
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) schoolDays.Add(day);
        var marks = new StringBuilder(AttendanceHeader + "\r\n");
        for (var p = 0; p < Pupils; p++)
            foreach (var day in schoolDays)
            {
                marks.Append(
                    $"{Upn(p)},Large,Lee,2012-01-01,100001,{day:yyyy-MM-dd},AM,/\r\n{Upn(p)},Large,Lee,2012-01-01,100001," +
                    $"{day:yyyy-MM-dd},PM,I\r\n");
            }
        var receipt = await fixture.IngestAsync("school-large", "school-attendance", marks.ToString(), "large.csv");
        Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        Assert.Equal(260_000, receipt.Rows.Accepted);

        var names = await fixture.BlobNamesAsync(StorageNames.CuratedContainer, "school-attendance/yot=yot-large/");
        // 200 weekdays from 1 January run to 7 October 2026: Q1 to Q4.
        Assert.Equal(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"], names.Select(n => n.Split("period=")[1][..7]));
        var paths = new List<string>();
        foreach (var n in names)
        {
            var path = Path.Combine(Path.GetTempPath(), $"yjp-large-{Guid.NewGuid():N}.parquet");
            await File.WriteAllBytesAsync(path, await fixture.DownloadAsync(StorageNames.CuratedContainer, n));
            paths.Add($"'{path}'");
        }
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            SELECT count(*), count(DISTINCT (pupil_id, session_date, session)), min(line), max(line), sum(line)::BIGINT,
                   count(*) FILTER (WHERE attendance_code = 'I' AND session = 'PM')
            FROM read_parquet([{string.Join(",", paths)}])
            """;
        using (var r = cmd.ExecuteReader())
        {
            Assert.True(r.Read());
            Assert.Equal(260_000L, r.GetInt64(0));
            Assert.Equal(260_000L, r.GetInt64(1));
            Assert.Equal((2, 260_001), (r.GetInt32(2), r.GetInt32(3)));
            Assert.Equal(Enumerable.Range(2, 260_000).Sum(i => (long)i), r.GetInt64(4));
            Assert.Equal(130_000L, r.GetInt64(5));
        }

        // Values the same for every row travel once, as file metadata: the drop is traceable from the file alone.
        cmd.CommandText =
            $"SELECT DISTINCT decode(value) FROM parquet_kv_metadata([{string.Join(",", paths)}]) WHERE decode(key) = " +
            $"'{CuratedLayout.DropId}'";
        Assert.Equal(receipt.DropId, cmd.ExecuteScalar());
    }
}
