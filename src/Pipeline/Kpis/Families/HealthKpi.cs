using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPIs 4 and 5 (docs/kpis.md §2): children with an order ending whose mental health / substance misuse need was screened or
/// identified, and — the YJB's variant — of those, the children offered an intervention in the order's window or
/// already in treatment at its start. One class per KPI over this shared helper; the two differ only in the
/// <c>yot-health</c> area and the intervention types.
/// <para>
/// <b>Official vs YJB headline</b> (docs/kpis.md: "both are computed and the headline is chosen by configuration"). Both
/// definitions are always computed under ids whose meaning never changes: <c>{id}-screened</c> is the official figure
/// (need screened/identified ÷ children with an order ending) and <c>{id}-offered</c> the YJB variant (offered or in
/// treatment ÷ children with need). The contract id <c>{id}</c> itself carries the figure chosen by
/// <see cref="KpiOptions.Headline"/>: the official one by default, the YJB variant when it is <c>yjb</c>. So a board
/// reading the headline id always reads the configured headline, and either definition stays available by its own id.
/// </para>
/// </summary>
public abstract class HealthKpi : IKpiFamily
{
    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotHealth);

    private readonly string _id;
    private readonly string _area;
    private readonly IReadOnlyList<(string Suffix, string Type, string Label)> _types;
    private readonly bool _offeredByType;

    /// <param name="offeredByType">KPI 5 also counts "offered" per intervention type; KPI 4 only "attending" (docs/kpis.md §2).</param>
    protected HealthKpi(string id, int rank, string area, string name, IReadOnlyList<(string Suffix, string Type, string Label)> types,
        bool offeredByType)
    {
        _id = id;
        _area = area;
        _types = types;
        _offeredByType = offeredByType;
        var defs = new List<KpiDefinition>
        {
            new(id, rank, $"{name}: need screened or identified by the order's end (YJB variant if configured)") { Sources = From },
            new($"{id}-screened", rank + 1, $"{name}: need screened or identified by the order's end (official)", false,
                Parent: id) { Sources = From },
            new($"{id}-offered", rank + 2, $"{name}: of children with need, offered help during the order or already in treatment (YJB)",
                false, Parent: id)
            {
                Sources = From, Split = KpiSplit.During,
            },
        };
        var next = rank + 3;
        if (offeredByType)
            foreach (var t in types)
                defs.Add(new($"{id}-offered-{t.Suffix}", next++, $"{name}: of children with need, offered {t.Label}", false,
                    Parent: id) { Sources = From });
        defs.Add(new($"{id}-attending", next++, $"{name}: of children with need, attending an intervention during the order", false,
            Parent: id)
        {
            Sources = From, Split = KpiSplit.During,
        });
        foreach (var t in types)
            defs.Add(new($"{id}-attending-{t.Suffix}", next++, $"{name}: of children with need, attending {t.Label}", false,
                Parent: id) { Sources = From });
        Definitions = defs;
    }

    public IReadOnlyList<KpiDefinition> Definitions { get; }

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var population = context.OrdersEnding;
        var profiles = context.OrdersEndingProfiles;
        var byChild = context.Data.Health.Where(h => h.Area == _area).ToLookup(h => h.ChildId, StringComparer.Ordinal);

        var children = population.Values.Select(o => new Child(o, [.. byChild[o.ChildId]])).ToList();
        foreach (var c in children) c.NeedBy = c.Rows.Any(h => NeedIdentifiedOn(h) is { } day && day <= c.End);
        var withNeed = children.Where(c => c.NeedBy).ToList();

        // Every record the figures were judged from: the population's children and orders, and their health rows of this area.
        var sources = KpiContext.Sources(population.Values).Concat(children.SelectMany(c => c.Rows).Select(h => h.DropId)).ToList();

        KpiResult Over(string id, IEnumerable<Child> denominator, Func<Child, bool> counts) =>
            Breakdowns.Build(id, denominator.Select(c => new ChildCount(c.Order.ChildId, counts(c) ? 1 : 0, 1)), profiles, sources);

        var official = Over($"{_id}-screened", children, c => c.NeedBy);
        var yjb = Over($"{_id}-offered", withNeed, c => c.Rows.Any(h => OfferedOrInTreatment(h, c)));
        var headline = (context.Options.Headline.Equals("yjb", StringComparison.OrdinalIgnoreCase) ? yjb : official) with { Id = _id };

        var results = new List<KpiResult> { headline, official, yjb };
        if (_offeredByType)
            foreach (var t in _types)
                results.Add(Over($"{_id}-offered-{t.Suffix}", withNeed, c =>
                    c.Rows.Any(h => h.InterventionType == t.Type && OfferedOrInTreatment(h, c))));
        results.Add(Over($"{_id}-attending", withNeed, c => c.Rows.Any(h => h.InterventionType != NoIntervention && Attending(h, c))));
        foreach (var t in _types)
            results.Add(Over($"{_id}-attending-{t.Suffix}", withNeed, c =>
                c.Rows.Any(h => h.InterventionType == t.Type && Attending(h, c))));
        return Task.FromResult<IReadOnlyList<KpiResult>>(results);
    }

    private const string NoIntervention = "NO_INTERVENTION";

    /// <summary>
    /// The day a row shows the need: its screening, or — where the referral came without a screening by the YOT (the
    /// drop leaves date_screened empty then) — the earliest of referral, offer and first attendance. A row with no
    /// date at all shows no need at any known time and is not counted.
    /// </summary>
    private static DateOnly? NeedIdentifiedOn(HealthRecord h) =>
        new[] { h.Screened, h.Referred, h.Offered, h.AttendedStart }.Where(d => d is not null).Min();

    /// <summary>YJB variant: offered between the order's start and end (inclusive), or already attending on the start day.</summary>
    private static bool OfferedOrInTreatment(HealthRecord h, Child c) =>
        h.InterventionType != NoIntervention &&
        ((h.Offered is { } offered && offered >= c.Order.Start && offered <= c.End) ||
         (h.AttendedStart is { } from && from <= c.Order.Start && (h.AttendedEnd is null || h.AttendedEnd >= c.Order.Start)));

    /// <summary>Attending at some time during the order: the attendance span overlaps start..end.</summary>
    private static bool Attending(HealthRecord h, Child c) =>
        h.AttendedStart is { } from && from <= c.End && (h.AttendedEnd is null || h.AttendedEnd >= c.Order.Start);

    private sealed class Child(CountedOrder order, IReadOnlyList<HealthRecord> rows)
    {
        public CountedOrder Order { get; } = order;
        public IReadOnlyList<HealthRecord> Rows { get; } = rows;

        /// <summary>Children with an order ending always have an end date.</summary>
        public DateOnly End => Order.End!.Value;

        public bool NeedBy { get; set; }
    }
}

/// <summary>KPI 4: mental health and emotional wellbeing (docs/kpis.md §2).</summary>
public sealed class MentalHealthKpi() : HealthKpi("kpi4-mental-health", 400, "MENTAL_HEALTH", "Mental health",
[
    ("getting-advice", "GETTING_ADVICE", "getting advice"),
    ("getting-help", "GETTING_HELP", "getting help"),
    ("getting-additional-help", "GETTING_ADDITIONAL_HELP", "getting additional help"),
    ("getting-risk-support", "GETTING_RISK_SUPPORT", "getting risk support"),
], offeredByType: false);

/// <summary>KPI 5: substance misuse (docs/kpis.md §2), with offered and attending per level of intervention.</summary>
public sealed class SubstanceMisuseKpi() : HealthKpi("kpi5-substance-misuse", 500, "SUBSTANCE_MISUSE", "Substance misuse",
[
    ("targeted", "TARGETED_INTERVENTION", "a targeted intervention"),
    ("specialist", "SPECIALIST_TREATMENT", "specialist treatment"),
    ("complex-care", "COMPLEX_CARE", "complex care"),
], offeredByType: true);
