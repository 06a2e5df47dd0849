using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Population;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>What every KPI of one YOT and quarter is computed from: the YOT's current data and its populations, made once.</summary>
public sealed class KpiContext
{
    private IReadOnlyDictionary<string, CountedOrder>? _ordersEnding;
    private IReadOnlyDictionary<string, CountedOrder>? _caseload;
    private IReadOnlyDictionary<string, ChildProfile>? _ordersEndingProfiles;
    private IReadOnlyDictionary<string, ChildProfile>? _caseloadProfiles;

    /// <param name="population">The YOT area's 10–17 population estimates, for the rates per population; none when not loaded.</param>
    public KpiContext(PipelineStorage storage, string yot, Quarter quarter, YotData data, KpiOptions options,
        AreaPopulations? population = null)
    {
        Storage = storage;
        Yot = yot;
        Quarter = quarter;
        Data = data;
        Options = options;
        Population = (population ?? AreaPopulations.None).For(quarter);
    }

    /// <summary>For the few KPIs that read large curated data per quarter (session marks) rather than <see cref="Data"/>.</summary>
    public PipelineStorage Storage { get; }

    public string Yot { get; }
    public Quarter Quarter { get; }
    public YotData Data { get; }
    public KpiOptions Options { get; }

    /// <summary>The 10–17 population estimate the quarter's rates use (the previous year's), or null when none is loaded.</summary>
    public PopulationBasis? Population { get; }

    /// <summary>Children with an order ending in the quarter, one order each (docs/kpis.md §1).</summary>
    public IReadOnlyDictionary<string, CountedOrder> OrdersEnding => _ordersEnding ??= KpiPopulations.OrdersEnding(Data, Quarter);

    /// <summary>Children with a counted intervention open in the quarter (docs/kpis.md §3).</summary>
    public IReadOnlyDictionary<string, CountedOrder> Caseload => _caseload ??= KpiPopulations.Caseload(Data, Quarter);

    public IReadOnlyDictionary<string, ChildProfile> OrdersEndingProfiles =>
        _ordersEndingProfiles ??= ChildProfiles.For(OrdersEnding, Data, Quarter.End);

    public IReadOnlyDictionary<string, ChildProfile> CaseloadProfiles =>
        _caseloadProfiles ??= ChildProfiles.For(Caseload, Data, Quarter.End);

    /// <summary>The drops behind a population's children and orders.</summary>
    public static IEnumerable<string> Sources(IEnumerable<CountedOrder> orders) =>
        orders.SelectMany(o => new[] { o.Child.DropId, o.Intervention.DropId });
}
