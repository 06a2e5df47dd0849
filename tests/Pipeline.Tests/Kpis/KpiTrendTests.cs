using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>Trends (issue 4 item 6): a YOT's results over the last 8 quarters in one call.</summary>
public sealed class KpiTrendTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static KpiSet Set(string yot, string period, long numerator, long denominator) => new()
    {
        Yot = yot, Period = period, PeriodLabel = Quarter.Parse(period).FinancialYearLabel, EngineVersion = "test",
        Kpis = [new KpiResult { Id = "kpi1-accommodation", Numerator = numerator, Denominator = denominator }],
    };

    [Fact]
    public async Task Trend_returns_the_quarters_with_results_in_the_last_eight_oldest_first()
    {
        var store = fixture.Pipeline.Get<KpiStore>();
        // 2024-Q2 is nine quarters before 2026-Q2: outside. 2025-Q1 has no results: left out, not shown as zero.
        foreach (var (period, n) in new[] { ("2024-Q2", 1L), ("2024-Q3", 2L), ("2025-Q2", 5L), ("2026-Q2", 8L), ("2026-Q3", 9L) })
            await store.WriteAsync(Set("yot-trend", period, n, 10), default);
        // Neighbouring YOTs whose ids start alike never leak in.
        await store.WriteAsync(Set("yot-trend-b", "2025-Q2", 7, 10), default);
        await store.WriteAsync(Set("yot-tren", "2025-Q2", 6, 10), default);

        var trend = await store.TrendAsync("yot-trend", Quarter.Parse("2026-Q2"), cancellationToken: default);

        Assert.Equal(["2024-Q3", "2025-Q2", "2026-Q2"], trend.Select(s => s.Period));
        Assert.All(trend, s => Assert.Equal("yot-trend", s.Yot));
        Assert.Equal([2L, 5L, 8L], trend.Select(s => Assert.Single(s.Kpis).Numerator));
        Assert.Equal("2025/26 Q1", trend[1].PeriodLabel);

        Assert.Equal(["2026-Q2"], (await store.TrendAsync("yot-trend", Quarter.Parse("2026-Q2"), quarters: 1)).Select(s => s.Period));
        Assert.Empty(await store.TrendAsync("yot-none", Quarter.Parse("2026-Q2")));
    }

    [Fact]
    public async Task A_rate_per_population_reads_back_as_a_rate_not_a_fraction()
    {
        var store = fixture.Pipeline.Get<KpiStore>();
        // 8 offences among 21,400 children aged 10-17 = 3.738… per 10,000.
        await store.WriteAsync(new KpiSet
        {
            Yot = "yot-rate", Period = "2026-Q2", PeriodLabel = "2026/27 Q1", EngineVersion = "test",
            Kpis = [new KpiResult { Id = "kpi9-serious-violence", Numerator = 8, Denominator = 21_400, Scale = 10_000 }],
        }, default);

        var read = Assert.Single((await store.ReadAsync("yot-rate", "2026-Q2", default))!.Kpis);
        Assert.Equal(10_000, read.Scale);
        Assert.Equal(3.738, read.Value!.Value, 3);
    }

    [Fact]
    public async Task Pipeline_kpis_trend_prints_one_row_per_headline_and_one_column_per_quarter()
    {
        var store = fixture.Pipeline.Get<KpiStore>();
        await store.WriteAsync(Set("yot-trend-cli", "2026-Q1", 3, 10), default);
        await store.WriteAsync(Set("yot-trend-cli", "2026-Q2", 6, 12), default);
        var output = new StringWriter();

        await KpisCommand.ShowAsync(store, fixture.Pipeline.Get<KpiRecomputer>(), new DisclosureOptions(),
            new KpisRequest("yot-trend-cli", "2026-Q2", Suppressed: true, Trend: true), output, TextWriter.Null, default);

        var text = output.ToString();
        Assert.Contains("2026-Q1", text);
        var row = Assert.Single(text.Split('\n'), l => l.Contains(KpiCatalogue.Title("kpi1-accommodation"), StringComparison.Ordinal));
        // 3 of 10 is withheld once published (c); 6 of 12 is 50%.
        Assert.Matches(@"\sc\s+50\.0%\s*$", row);

        var json = new StringWriter();
        await KpisCommand.ShowAsync(store, fixture.Pipeline.Get<KpiRecomputer>(), new DisclosureOptions(),
            new KpisRequest("yot-trend-cli", "2026-Q2", Json: true, Trend: true), json, TextWriter.Null, default);
        using var doc = System.Text.Json.JsonDocument.Parse(json.ToString());
        Assert.Equal(["2026-Q1", "2026-Q2"], doc.RootElement.GetProperty("periods").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, doc.RootElement.GetProperty("trend").GetArrayLength());
        Assert.Equal(3, doc.RootElement.GetProperty("trend")[0].GetProperty("kpis")[0].GetProperty("numerator").GetInt64());
    }
}
