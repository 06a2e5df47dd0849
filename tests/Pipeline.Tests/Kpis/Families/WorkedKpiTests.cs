using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// What every hand-worked KPI test class shares: before its tests it sends its files for one YOT through the real gate
/// and computes the quarter (<see cref="LoadAsync"/>, once per class, as the fixture is); its tests then compare
/// <see cref="Set"/>'s results and the <see cref="Receipts"/> with the figures worked by hand in the class's remarks.
/// </summary>
public abstract class WorkedKpiTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    protected PipelineFixture Fixture => fixture;

    /// <summary>The quarter's results, as <see cref="LoadAsync"/> computed them.</summary>
    protected KpiSet Set { get; private set; } = null!;

    /// <summary>The receipt of each file sent, by the name <see cref="LoadAsync"/> gave it (usually its drop type).</summary>
    protected IReadOnlyDictionary<string, Receipt> Receipts { get; private set; } = null!;

    /// <summary>Sends the class's files and computes its quarter.</summary>
    protected abstract Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync();

    public async Task InitializeAsync() => (Set, Receipts) = await LoadAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    protected KpiResult Kpi(string id) => Assert.Single(Set.Kpis, k => k.Id == id);

    /// <summary>Every KPI of a quarter for the YOT, as the engine computes and stores them.</summary>
    protected Task<KpiSet> ComputeAsync(string yot, string period) =>
        fixture.Pipeline.Get<KpiEngine>().ComputeAsync(yot, Quarter.Parse(period), default);

    /// <summary>One family's results for a quarter with the given population estimates instead of the stored ones.</summary>
    protected async Task<KpiSet> ComputeFamilyAsync(IKpiFamily family, string yot, string period, AreaPopulations populations)
    {
        var quarter = Quarter.Parse(period);
        var data = await YotData.LoadAsync(fixture.Storage, yot, default);
        var context = new KpiContext(fixture.Storage, yot, quarter, data, new KpiOptions(), populations);
        return new KpiSet
        {
            Yot = yot, Period = quarter.ToString(), PeriodLabel = quarter.FinancialYearLabel, EngineVersion = KpiEngine.Version,
            Kpis = await family.ComputeAsync(context, default),
        };
    }
}
