using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Kpis.UnitsScenario;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>
/// The 10–17 population behind KPI 9 and the national indicators is data (<see cref="UnitsScenario"/>: 2 serious
/// violent offences in 2026-Q2): loaded from a file with its source and year, stored, named in the KPI's provenance, and
/// a new figure recomputes the stored quarters it changes.
/// </summary>
public sealed class AreaPopulationTests(PipelineFixture fixture) : UnitsScenarioTests(fixture)
{
    private async Task<KpiResult> StoredAsync(string id) =>
        Assert.Single((await Fixture.Pipeline.Get<KpiStore>().ReadAsync(Yot, Quarter.ToString(), default))!.Kpis, k => k.Id == id);

    [Fact]
    public async Task The_engine_takes_the_loaded_population_of_the_year_before_and_names_it()
    {
        // 2 offences ÷ 20,000 (mid-2025, used by every 2026 quarter) × 10,000 = 1.0; the custody rate shares the figure.
        var k = await StoredAsync("kpi9-serious-violence");
        Assert.Equal((2L, 20_000L), (k.Numerator, k.Denominator));
        Assert.Equal(new PopulationBasis(2025, 20_000, PopulationSource), k.Population);
        Assert.Equal(new PopulationBasis(2025, 20_000, PopulationSource), (await StoredAsync("nat-custody")).Population);
        Assert.Null((await StoredAsync("kpi1-accommodation")).Population);
    }

    [Fact]
    public async Task A_new_figure_recomputes_the_quarters_it_changes_and_the_same_figure_again_changes_nothing()
    {
        var output = new StringWriter();
        // A 2026 estimate changes no 2026 quarter (they use 2025's): nothing to recompute.
        Assert.Equal(ExitCodes.Success, await LoadPopulationAsync(Fixture, $"yot,year,population,source\n{Yot},2026,90000,later estimate\n",
            output));
        Assert.Contains("nothing to recompute", output.ToString());
        Assert.Equal(20_000, (await StoredAsync("kpi9-serious-violence")).Denominator);

        // A revised 2025 figure: 2 ÷ 25,000 × 10,000 = 0.8, recomputed without anyone asking.
        output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await LoadPopulationAsync(Fixture, PopulationFile(25_000, "ONS mid-2025 estimates, revised (test)"),
            output));
        Assert.Contains($"{Yot} {Quarter}", output.ToString());
        var k = await StoredAsync("kpi9-serious-violence");
        Assert.Equal((2L, 25_000L), (k.Numerator, k.Denominator));
        Assert.Equal(0.8, k.Value!.Value, 10);
        Assert.Equal("ONS mid-2025 estimates, revised (test)", k.Population!.Source);

        var audit = await Fixture.Pipeline.Get<AuditLog>().ForSubjectAsync($"population-{Yot}", default);
        output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await LoadPopulationAsync(Fixture, PopulationFile(25_000, "ONS mid-2025 estimates, revised (test)"),
            output));
        Assert.Contains("nothing to recompute", output.ToString());
        Assert.Equal(audit.Count, (await Fixture.Pipeline.Get<AuditLog>().ForSubjectAsync($"population-{Yot}", default)).Count);

        Assert.Equal(ExitCodes.Success, await LoadPopulationAsync(Fixture, PopulationFile(20_000)));
        Assert.Equal(20_000, (await StoredAsync("kpi9-serious-violence")).Denominator);
    }

    [Fact]
    public async Task A_bad_file_is_refused_whole_with_every_problem_and_its_line()
    {
        var error = new StringWriter();
        var csv = "yot,year,population,source\n" +
                  $"{Yot},2025,30000,fine on its own\n" +
                  $"{Yot},20x5,30000,a year that is not one\n" +
                  $"{Yot},2024,-5,a negative population\n" +
                  $"{Yot},2023,30000,\n" +
                  $"{Yot},2025,31000,the same year twice\n" +
                  $"{Yot},2022,31000,ONS, unquoted\n";
        Assert.Equal(ExitCodes.Refused, await LoadPopulationAsync(Fixture, csv, error: error));
        var text = error.ToString();
        Assert.Contains("line 3: year is not a year", text);
        Assert.Contains("line 4: population is not a whole number above 0", text);
        Assert.Contains("line 5: source is empty", text);
        Assert.Contains("line 6: yot-units 2025 is already given on line 2", text);
        Assert.Contains("line 7: the row has 5 cells but the header has 4", text);
        Assert.Equal(20_000, (await StoredAsync("kpi9-serious-violence")).Denominator);   // nothing stored

        Assert.Equal(ExitCodes.Refused, await LoadPopulationAsync(Fixture, "yot,year,count\nx,2025,1\n", error: error));
        Assert.Contains("the header has no population, source column", error.ToString());
    }

    [Fact]
    public async Task A_yot_is_matched_ignoring_case_and_an_unknown_one_is_named_with_the_known_ones()
    {
        Assert.Equal(ExitCodes.Success, await LoadPopulationAsync(Fixture,
            $"YOT,Year,Population,Source\n{Yot.ToUpperInvariant()},2019,18000,old estimate\n"));
        Assert.Contains(new AreaPopulation(Yot, 2019, 18_000, "old estimate"),
            (await Fixture.Pipeline.Get<AreaPopulationStore>().ReadAsync(Yot, default)).All);

        var error = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await LoadPopulationAsync(Fixture, "yot,year,population,source\nyot-nowhere,2025,1000,x\n",
            error: error));
        Assert.Contains("No YOT 'yot-nowhere'", error.ToString());
        Assert.Contains(Yot, error.ToString());
    }
}
