using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Parquet.Serialization;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Reporting;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;
using YouthJustice.Pipeline.Tests.Api;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Kpis.UnitsScenario;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>
/// A reader never has to guess a unit (<see cref="UnitsScenario"/>): hours are hours, exact to the half hour, a rate
/// per 10,000 says so, and reoffending frequency is reoffences per child — in the CLI table, the JSON, the Parquet file
/// and results table, the board pack, the YJB return and the API.
/// </summary>
public sealed class UnitsInEveryOutputTests(PipelineFixture fixture) : UnitsScenarioTests(fixture)
{
    private const string College = "ete-college-attendance";
    private const string EteHours = "kpi2-ete-hours-attended";
    private const string SeriousViolence = "kpi9-serious-violence";
    private const string Frequency = "nat-reoffending-frequency";
    private const string Per10000 = "per 10,000 children aged 10-17 in the area";

    private async Task<JsonElement> JsonAsync()
    {
        var output = new StringWriter();
        var code = await KpisCommand.ShowAsync(Fixture.Pipeline.Get<KpiStore>(), Fixture.Pipeline.Get<KpiRecomputer>(),
            new DisclosureOptions(),
            new KpisRequest(Yot, Quarter.ToString(), Json: true, All: true), output, TextWriter.Null, default);
        Assert.Equal(ExitCodes.Success, code);
        return JsonDocument.Parse(output.ToString()).RootElement;
    }

    private static JsonElement Kpi(JsonElement set, string id) =>
        set.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);

    private static (string, string, string) Unit(JsonElement k) =>
        (k.GetProperty("unit").GetProperty("numerator").GetString()!, k.GetProperty("unit").GetProperty("denominator").GetString()!,
            k.GetProperty("unit").GetProperty("value").GetString()!);

    [Fact]
    public async Task The_json_gives_hours_in_hours_rates_per_10000_and_reoffences_per_child()
    {
        var set = await JsonAsync();
        var college = Kpi(set, College);
        Assert.Equal((24.5, 30.0), (college.GetProperty("numerator").GetDouble(), college.GetProperty("denominator").GetDouble()));
        Assert.Equal(("hours", "hours", "fraction"), Unit(college));
        var ete = Kpi(set, EteHours);
        Assert.Equal((12.5, 25.5), (ete.GetProperty("numerator").GetDouble(), ete.GetProperty("denominator").GetDouble()));

        var sv = Kpi(set, SeriousViolence);
        Assert.Equal(10_000, sv.GetProperty("scale").GetDouble());
        Assert.Equal(("serious violent offences", "children aged 10-17 in the area", Per10000), Unit(sv));
        Assert.Equal(1.0, sv.GetProperty("value").GetDouble(), 10);
        Assert.Equal(2025, sv.GetProperty("population").GetProperty("year").GetInt32());
        Assert.Equal(PopulationSource, sv.GetProperty("population").GetProperty("source").GetString());

        var frequency = Kpi(set, Frequency);
        Assert.Equal(("reoffences", "children in the cohort", "reoffences per child"), Unit(frequency));
        Assert.Equal((2.0, 1.0, 2.0), (frequency.GetProperty("numerator").GetDouble(), frequency.GetProperty("denominator").GetDouble(),
            frequency.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task The_printed_table_says_hours_per_10000_and_per_child()
    {
        var set = (await Fixture.Pipeline.Get<KpiStore>().ReadAsync(Yot, Quarter.ToString(), default))!;
        var output = new StringWriter();
        KpiPrinter.Print(output, set, breakdowns: false, all: true);
        var lines = output.ToString().Split('\n');
        // Each KPI prints its title and figures, then "[id]" and its units under them (a rate, its population too).
        int At(string id) => Array.FindIndex(lines, l => l.Contains($"[{id}]", StringComparison.Ordinal));
        string After(string id) => lines[At(id) - 1];
        string Under(string id) => lines[At(id)];

        Assert.Matches(@"\s24\.5\s+30\s+81\.7%", After(College));
        Assert.Contains("hours ÷ hours", Under(College));
        Assert.Matches(@"\s12\.5\s+25\.5\s+49\.0%", After(EteHours));
        Assert.Contains("1.0 per 10,000", After(SeriousViolence));
        Assert.Contains($"serious violent offences {Per10000}", Under(SeriousViolence));
        Assert.Contains($"10-17 population 20,000, 2025 estimate ({PopulationSource})", lines[At(SeriousViolence) + 1]);
        Assert.Contains("2.00 per child", After(Frequency));
        Assert.DoesNotContain("%", After(Frequency));
    }

    [Fact]
    public async Task The_parquet_file_and_results_table_carry_hours_and_name_their_units()
    {
        var bytes = await Fixture.DownloadAsync(StorageNames.KpisContainer, KpiStore.BlobName(Yot, Quarter.ToString()));
        var rows = (await ParquetSerializer.DeserializeAsync<KpiRow>(new MemoryStream(bytes))).Data;
        var college = rows.Single(r => r.kpi_id == College && r.breakdown == KpiRow.All);
        Assert.Equal((24.5, 30.0, "hours", "hours", "fraction"),
            (college.numerator!.Value, college.denominator!.Value, college.numerator_unit, college.denominator_unit, college.value_unit));
        var sv = rows.Single(r => r.kpi_id == SeriousViolence && r.breakdown == KpiRow.All);
        Assert.Equal((Per10000, 2025, PopulationSource), (sv.value_unit, sv.population_year!.Value, sv.population_source));
        Assert.Equal("reoffences per child", rows.Single(r => r.kpi_id == Frequency && r.breakdown == KpiRow.All).value_unit);

        var table = Fixture.Storage.Table(StorageNames.KpiResultsTable);
        var entity = (await table.GetEntityAsync<TableEntity>(KpiStore.PartitionKey(Yot, Quarter.ToString()), $"{College}|all|all")).Value;
        Assert.Equal((24.5, "hours"), (entity.GetDouble("Numerator")!.Value, entity.GetString("NumeratorUnit")));
    }

    [Fact]
    public async Task The_board_pack_shows_hours_rates_and_ratios_with_their_units()
    {
        var html = await Fixture.Pipeline.Get<BoardPackBuilder>().BuildAsync(Yot, Quarter, new BoardPackOptions(), default);
        Assert.Contains("24.5<br><span class=\"id\">hours</span>", html);
        Assert.Contains("30<br><span class=\"id\">hours</span>", html);
        Assert.Contains("1.0 per 10,000", html);
        Assert.Contains("2 serious violent offences", html);
        Assert.Contains("20,000 children aged 10-17 in the area", html);
        Assert.Contains($"10-17 population 20,000, 2025 estimate ({PopulationSource})", html);
        Assert.Contains("2.00 per child", html);
    }

    [Fact]
    public async Task The_yjb_return_gives_hours_in_hours_and_each_rows_unit()
    {
        var outcome = await Fixture.Pipeline.Get<QuarterlyReturns>().BuildAsync(Yot, Quarter, DateTimeOffset.UtcNow, "test", default);
        var json =
            KpiReturnDocument.Parse(await Fixture.DownloadAsync(StorageNames.SubmissionsContainer,
            QuarterlyReturns.ReturnBlob(Yot, Quarter.ToString(), outcome.Version)));
        Assert.Empty(KpiReturnDocument.Check(json));
        var hours = json.Rows.Single(r => r.Id == EteHours);
        Assert.Equal(("hours", "hours", "fraction"), (hours.Unit.Numerator, hours.Unit.Denominator, hours.Unit.Value));
        Assert.Equal((12.5, 25.5), (hours.Cells[0].Numerator!.Value, hours.Cells[0].Denominator!.Value));
        var sv = json.Rows.Single(r => r.Id == SeriousViolence);
        Assert.Equal((10_000.0, Per10000), (sv.Scale, sv.Unit.Value));

        var csv =
            System.Text.Encoding.UTF8.GetString(await Fixture.DownloadAsync(StorageNames.SubmissionsContainer,
            QuarterlyReturns.CsvBlob(Yot, Quarter.ToString(), outcome.Version)));
        Assert.StartsWith("yot,period,kpi,measure,breakdown,group,split,figure,unit,Total", csv);
        Assert.Contains($",{EteHours},,,end,numerator,hours,12.5,", csv);
        // Withheld (2 offences is a small number) but still saying what the figure would be.
        Assert.Contains($",{SeriousViolence},,,,value,\"{Per10000}\",c,", csv);
    }

    [Fact]
    public async Task The_apis_child_rows_give_each_learners_hours()
    {
        await using var host = await ApiHost.StartAsync(Fixture);
        var token = host.Token(new ApiTokenRequest(ApiRoles.Analyst, Yot: Yot));
        using var response = await host.Client.SendAsync(ApiHost.Get($"/api/yots/{Yot}/kpis/{Quarter}/{College}/children", token));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("hours", body.GetProperty("unit").GetProperty("numerator").GetString());
        var child = Assert.Single(body.GetProperty("children").EnumerateArray().ToList());
        Assert.Equal((24.5, 30.0), (child.GetProperty("numerator").GetDouble(), child.GetProperty("denominator").GetDouble()));
    }
}
