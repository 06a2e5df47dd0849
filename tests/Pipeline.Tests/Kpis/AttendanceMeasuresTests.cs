using DuckDB.NET.Data;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>The attendance measures of <see cref="HandCheckedScenario"/>, worked out by hand.</summary>
public sealed class AttendanceMeasuresTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private KpiSet _set = null!;

    public async Task InitializeAsync()
    {
        if ((await fixture.BlobNamesAsync(StorageNames.KpisContainer)).Count == 0) await HandCheckedScenario.LoadAsync(fixture);
        _set = (await fixture.Pipeline.Get<KpiStore>().ReadAsync(HandCheckedScenario.Yot, "2026-Q2", default))!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private KpiResult Kpi(string id) => Assert.Single(_set.Kpis, k => k.Id == id);

    [Fact]
    public void Attendance_rate_sums_marks_of_caseload_pupils_across_schools()
    {
        // UPN 1: school A 10 marks, '#' not possible → 9 possible, 8 attended; school B 'B' attended, 'N' absent → 11 possible, 9 attended.
        // UPN 2: 10 possible; '/','/','L','/','/' attended → 5. UPN 3, 4 and 90 are outside the caseload.
        var k = Kpi(KpiIds.SchoolAttendance);
        Assert.Equal(14, k.Numerator);
        Assert.Equal(21, k.Denominator);
        Assert.Equal(14.0 / 21, k.Value!.Value, 10);
    }

    [Fact]
    public void Persistent_absence_counts_pupils_at_or_over_ten_percent()
    {
        // UPN 1 absent 2 of 11 (18%), UPN 2 absent 5 of 10 (50%): both persistent.
        var k = Kpi(KpiIds.PersistentAbsence);
        Assert.Equal((2, 2), (k.Numerator, k.Denominator));
    }

    [Fact]
    public void Severe_absence_counts_pupils_at_or_over_half()
    {
        var k = Kpi(KpiIds.SevereAbsence);
        Assert.Equal((1, 2), (k.Numerator, k.Denominator));
    }

    [Fact]
    public void Breakdowns_split_the_caseload_by_sex_ethnicity_and_age_group()
    {
        var k = Kpi(KpiIds.SchoolAttendance);
        Assert.Equal([("Female", 5L, 10L), ("Male", 9L, 11L)], k.Breakdowns["sex"].Select(g => (g.Group, g.Numerator, g.Denominator)));
        Assert.Equal([("Mixed", 5L, 10L), ("White", 9L, 11L)],
            k.Breakdowns["ethnicity"].Select(g => (g.Group, g.Numerator, g.Denominator)));
        Assert.Equal([("10-14", 9L, 11L), ("15-17", 5L, 10L)],
            k.Breakdowns["age-group"].Select(g => (g.Group, g.Numerator, g.Denominator)));
    }

    [Fact]
    public void Results_name_the_drops_they_were_computed_from()
    {
        var ledger = fixture.Storage.Table(StorageNames.DropsTable).Query<Azure.Data.Tables.TableEntity>().Select(e => e.RowKey)
            .ToHashSet();
        Assert.Equal(4, _set.SourceDrops.Count);
        Assert.All(_set.SourceDrops, d => Assert.Contains(d, ledger));
        Assert.Equal("2026/27 Q1", _set.PeriodLabel);
    }

    [Fact]
    public async Task Kpi_parquet_read_with_DuckDB_gives_the_same_figures()
    {
        var path = await DownloadToTempAsync(StorageNames.KpisContainer, KpiStore.BlobName(HandCheckedScenario.Yot, "2026-Q2"));
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText =
            $"SELECT numerator, denominator FROM read_parquet('{path}') WHERE kpi_id = 'ete-school-attendance' AND breakdown = 'all'";
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((14L, 21L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task Curated_attendance_parquet_is_readable_by_DuckDB_with_linked_pseudonymous_rows()
    {
        var names = await fixture.BlobNamesAsync(StorageNames.CuratedContainer,
            $"school-attendance/yot={HandCheckedScenario.Yot}/period=2026-Q2/");
        Assert.Equal(2, names.Count);
        var paths = new List<string>();
        foreach (var n in names) paths.Add(await DownloadToTempAsync(StorageNames.CuratedContainer, n));
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText =
            $"SELECT count(*), count(DISTINCT child_id), count(DISTINCT pupil_id), min(session_date), max(length(pupil_id)) FROM " +
            $"read_parquet([{string.Join(",", paths.Select(p => $"'{p}'"))}])";
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        // School A: 10 + 10 + 4 + 2 cohort rows (UPN 90's 2 are out of cohort); school B: 2.
        Assert.Equal(28L, reader.GetInt64(0));
        Assert.Equal(4L, reader.GetInt64(1));
        Assert.Equal(4L, reader.GetInt64(2));
        Assert.Equal(new DateOnly(2026, 4, 20), DateOnly.FromDateTime(reader.GetDateTime(3)));
        Assert.Equal(32L, reader.GetInt64(4));
    }

    [Fact]
    public async Task Recomputing_gives_byte_identical_results()
    {
        var name = KpiStore.BlobName(HandCheckedScenario.Yot, "2026-Q2");
        var before = await fixture.DownloadAsync(StorageNames.KpisContainer, name);
        await fixture.Pipeline.Get<KpiRecomputer>().RecomputeAsync(new KpiRecomputeRequest(HandCheckedScenario.Yot, "2026-Q2"), default);
        Assert.Equal(before, await fixture.DownloadAsync(StorageNames.KpisContainer, name));
    }

    private async Task<string> DownloadToTempAsync(string container, string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"yjp-test-{Guid.NewGuid():N}.parquet");
        await File.WriteAllBytesAsync(path, await fixture.DownloadAsync(container, name));
        return path;
    }
}
