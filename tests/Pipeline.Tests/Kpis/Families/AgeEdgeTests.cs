using Parquet;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// Ages in completed years at the edges (docs/kpis.md §1: a child is 10 on their 10th birthday), quarter 2026-Q2. A child
/// counts when aged 10–17 on the intervention's start; school age is judged on the 31 August before the day (for an
/// order ending in 2026-Q2: 31 August 2025). Every row is a YRO ending in the quarter, so only age decides.
/// <code>
/// child  born        start        end          age at start                              counted  band   school age at end
/// AE-01  2016-04-11  2026-04-10   2026-06-20   9 (turns 10 the day after the start)      no
/// AE-02  2016-04-09  2026-04-10   2026-06-20   10 (turned 10 the day before)             yes      10-14  yes
/// AE-03  2008-04-14  2026-04-14   2026-06-25   18 (turns 18 on the start)                no
/// AE-04  2008-04-15  2026-04-14   2026-06-25   17 (turns 18 the day after the start)     yes      15-17  no
/// AE-05  2008-05-20  2026-01-05   2026-05-20   17 (turns 18 on the order's end)          yes      15-17  no
/// AE-06  2008-05-19  2026-01-05   2026-05-20   17 (turns 18 the day before the end)      yes      15-17  no
/// AE-07  2008-05-21  2026-01-05   2026-05-20   17 (turns 18 the day after the end)       yes      15-17  no
/// AE-08  2016-02-29  2026-02-28   2026-05-10   9 (born 29 February: 10 on 1 March 2026)  no
/// AE-09  2012-02-29  2026-03-01   2026-05-15   14 (birthday 1 March in 2026)             yes      10-14  yes
/// AE-10  2011-04-20  2026-04-19   2026-06-01   14 (turns 15 the day after the start)     yes      10-14  yes
/// AE-11  2009-08-31  2026-01-10   2026-06-10   16 (16 on 31 August 2025)                 yes      15-17  no
/// AE-12  2009-09-01  2026-01-10   2026-06-10   16 (15 on 31 August 2025)                 yes      15-17  yes
/// </code>
/// Counted: AE-02, 04, 05, 06, 07, 09, 10, 11, 12 = 9 children; 10-14: AE-02, 09, 10 = 3; 15-17: 6. Above school age at
/// the end: AE-04, 05, 06, 07, 11 = 5; no ETE was sent for anyone, so all 5 are NEET. From the month of birth alone (the
/// birthday taken as the 1st) AE-01 and AE-08 would count and AE-04 would not; AE-10 would be 15.
/// </summary>
public sealed class AgeEdgeTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-age-edges";

    private static readonly (string Ref, string Born, string Start, string End)[] Rows =
    [
        ("AE-01", "2016-04-11", "2026-04-10", "2026-06-20"),
        ("AE-02", "2016-04-09", "2026-04-10", "2026-06-20"),
        ("AE-03", "2008-04-14", "2026-04-14", "2026-06-25"),
        ("AE-04", "2008-04-15", "2026-04-14", "2026-06-25"),
        ("AE-05", "2008-05-20", "2026-01-05", "2026-05-20"),
        ("AE-06", "2008-05-19", "2026-01-05", "2026-05-20"),
        ("AE-07", "2008-05-21", "2026-01-05", "2026-05-20"),
        ("AE-08", "2016-02-29", "2026-02-28", "2026-05-10"),
        ("AE-09", "2012-02-29", "2026-03-01", "2026-05-15"),
        ("AE-10", "2011-04-20", "2026-04-19", "2026-06-01"),
        ("AE-11", "2009-08-31", "2026-01-10", "2026-06-10"),
        ("AE-12", "2009-09-01", "2026-01-10", "2026-06-10"),
    ];

    private static string Children =>
        Csv([ChildrenHeader, .. Rows.Select((r, i) => $"{r.Ref},{Upn(400 + i)},,Agecase{(char)('a' + i)}son,Sam,{r.Born},1,WBRI,,Y")]);

    private static string Interventions =>
        Csv([InterventionsHeader, .. Rows.Select(r => $"{r.Ref},I-{r.Ref},YRO,{r.Start},{r.Start},{r.End},N,")]);

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = await CaseFileSet.SendAsync(Fixture, Yot, ("yot-children", Children), ("yot-interventions", Interventions));
        return (await ComputeAsync(Yot, "2026-Q2"), receipts);
    }

    [Fact]
    public void Every_row_is_accepted()
    {
        Assert.Equal(12, Receipts["yot-children"].Rows.Accepted);
        Assert.Equal(12, Receipts["yot-interventions"].Rows.Accepted);
    }

    [Fact]
    public void Children_aged_10_to_17_on_the_start_day_to_the_day()
    {
        var k = Kpi("kpi1-accommodation");
        Assert.Equal(9, k.Denominator);
        Assert.Equal([("10-14", 0L, 3L), ("15-17", 0L, 6L)], k.Groups("age-group"));
    }

    [Fact]
    public void School_age_is_judged_on_31_August_and_the_NEET_measure_counts_the_rest()
    {
        Assert.Equal((5, 5), Kpi("ete-neet-end").Fraction());
        Assert.Equal(4, Kpi("kpi2-ete-school-age").Denominator);
        Assert.Equal(5, Kpi("kpi2-ete-above-school-age").Denominator);
    }

    [Fact]
    public async Task The_date_of_birth_is_kept_whole_in_curated_yot_children_only()
    {
        var children = await Fixture.BlobNamesAsync(StorageNames.CuratedContainer, $"yot-children/yot={Yot}/");
        var file = Assert.Single(children);
        await using var stream = new MemoryStream(await Fixture.DownloadAsync(StorageNames.CuratedContainer, file));
        await using var reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true });
        var field = Assert.Single(reader.Schema.DataFields, f => f.Name == CuratedLayout.DateOfBirth);
        using var group = reader.OpenRowGroupReader(0);
        var dates = new DateOnly?[group.RowCount];
        await group.ReadAsync<DateOnly>(field, dates, null, default);
        Assert.Contains(new DateOnly(2016, 2, 29), dates);
        Assert.Contains(new DateOnly(2008, 4, 15), dates);
        Assert.DoesNotContain(reader.Schema.DataFields, f => f.Name == "birth_month");

        // Nothing else curated for this YOT holds a date of birth; the fixture's scan checks every other place.
        foreach (var other in (await Fixture.BlobNamesAsync(StorageNames.CuratedContainer))
            .Where(n => !n.StartsWith("yot-children/", StringComparison.Ordinal)))
        {
            await using var s = new MemoryStream(await Fixture.DownloadAsync(StorageNames.CuratedContainer, other));
            await using var r = await ParquetReader.CreateAsync(s);
            Assert.DoesNotContain(r.Schema.DataFields, f => f.Name == CuratedLayout.DateOfBirth);
        }
    }
}
