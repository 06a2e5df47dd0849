using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Submissions;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>
/// What each KPI's definition declares for the outputs that read it: the drop types it is computed from (the board
/// pack's "limited by missing data" marks) and the time point the YJB return files it under. Pure: no storage.
/// </summary>
public sealed class KpiCatalogueTests
{
    [Fact]
    public void Every_kpi_names_its_sources_and_each_is_a_published_drop_type()
    {
        var published = SchemaCatalogue.Default.DropTypes.ToHashSet(StringComparer.Ordinal);
        var problems = KpiCatalogue.Definitions.Values
            .SelectMany(d => d.Sources.Count == 0
                ? [$"{d.Id}: no source drop types"]
                : d.Sources.Where(s => !published.Contains(s)).Select(s => $"{d.Id}: '{s}' is not a drop type in schemas/drops"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_sub_measure_reads_what_its_headline_reads_and_board_attendance_reads_no_child()
    {
        foreach (var d in KpiCatalogue.Definitions.Values.Where(d => d.Parent is not null))
            Assert.Superset(KpiCatalogue.Definitions[d.Parent!].Sources.ToHashSet(), d.Sources.ToHashSet());
        Assert.Equal([DropTypes.BoardAttendance], KpiCatalogue.Definitions["kpi8-board-attendance"].Sources);
        Assert.Contains(DropTypes.YotOffences, KpiCatalogue.Definitions["kpi10-victims"].Sources);
    }

    [Fact]
    public void The_return_splits_measures_as_their_definitions_declare()
    {
        Assert.Equal("end", ReturnLayout.SplitOf(KpiCatalogue.Definitions["kpi1-accommodation"]));
        Assert.Equal("start", ReturnLayout.SplitOf(KpiCatalogue.Definitions["kpi2-ete-start"]));
        Assert.Equal("during", ReturnLayout.SplitOf(KpiCatalogue.Definitions["kpi7-wider-services"]));
        Assert.Null(ReturnLayout.SplitOf(KpiCatalogue.Definitions["kpi8-board-attendance"]));
    }
}
