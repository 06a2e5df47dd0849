using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Cli;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Tests.Infrastructure;
using YouthJustice.Pipeline.Tests.Kpis;
using static YouthJustice.Pipeline.Tests.Kpis.UnitsScenario;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary>
/// <c>pipeline kpis</c> matches a YOT id ignoring case and refuses one it does not know, or a quarter with no data,
/// with exit 2 rather than a table of empty cells; <c>pipeline recompute</c> recomputes a YOT's stored quarters through
/// the queue trigger's entry point. Over <see cref="UnitsScenario"/>.
/// </summary>
public sealed class YotIdsAndRecomputeTests(PipelineFixture fixture) : UnitsScenarioTests(fixture)
{
    private async Task<(int Code, string Output, string Error)> KpisAsync(string yot, string period)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var known = await KnownIds.YotsAsync(Fixture.Pipeline.Get<AgreementStore>(), default);
        var code = await KpisCommand.ShowAsync(Fixture.Pipeline.Get<KpiStore>(), Fixture.Pipeline.Get<KpiRecomputer>(),
            new DisclosureOptions(),
            new KpisRequest(yot, period), output, error, default, known);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_yot_id_in_other_case_is_the_same_yot()
    {
        var (code, output, _) = await KpisAsync("YOT-Units", Quarter.ToString());
        Assert.Equal(ExitCodes.Success, code);
        Assert.StartsWith($"KPIs for {Yot}, {Quarter}", output);
    }

    [Fact]
    public async Task An_unknown_yot_is_a_usage_error_naming_the_known_ones()
    {
        var (code, output, error) = await KpisAsync("yot-north", Quarter.ToString());
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Equal($"No YOT 'yot-north'. Known YOTs (from the agreements): {Yot}.", error.Trim());
    }

    [Fact]
    public async Task A_quarter_without_data_is_an_error_not_a_table_of_empty_cells()
    {
        var (code, output, error) = await KpisAsync(Yot, "2019-Q1");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Contains($"No data for {Yot} in 2019-Q1", error);
    }

    [Fact]
    public async Task Recompute_replaces_stale_stored_results_for_one_quarter_or_all()
    {
        var store = Fixture.Pipeline.Get<KpiStore>();
        // A stale result, as an engine with a bug (or an old key) left it.
        var stored = (await store.ReadAsync(Yot, Quarter.ToString(), default))!;
        await store.WriteAsync(
            stored with { Kpis = [.. stored.Kpis.Select(k => k.Id == "kpi9-serious-violence" ? k with { Numerator = 99 } : k)] }, default);
        Assert.Equal(99, Assert.Single((await store.ReadAsync(Yot, Quarter.ToString(), default))!.Kpis, k =>
            k.Id == "kpi9-serious-violence").Numerator);

        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await RecomputeCommand.RecomputeAsync(Fixture.Pipeline.Get<AgreementStore>(), store,
            Fixture.Pipeline.Get<KpiRecomputer>(),
            "YOT-UNITS", Quarter, output, TextWriter.Null, default));
        Assert.StartsWith($"{Yot} {Quarter}:", output.ToString());
        Assert.Equal(2, Assert.Single((await store.ReadAsync(Yot, Quarter.ToString(), default))!.Kpis, k => k.Id == "kpi9-serious-violence")
            .Numerator);

        // --all: every quarter the YOT has stored results for.
        output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await RecomputeCommand.RecomputeAsync(Fixture.Pipeline.Get<AgreementStore>(), store,
            Fixture.Pipeline.Get<KpiRecomputer>(),
            Yot, null, output, TextWriter.Null, default));
        var periods = await store.PeriodsAsync(Yot, default);
        Assert.Contains(Quarter, periods);
        Assert.Equal(periods.Select(q => $"{Yot} {q}:"), output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)] + ":"));

        var error = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await RecomputeCommand.RecomputeAsync(Fixture.Pipeline.Get<AgreementStore>(), store,
            Fixture.Pipeline.Get<KpiRecomputer>(),
            "yot-north", null, TextWriter.Null, error, default));
        Assert.Contains($"Known YOTs (from the agreements): {Yot}", error.ToString());
    }
}
