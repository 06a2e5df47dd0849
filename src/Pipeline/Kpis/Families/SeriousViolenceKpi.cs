using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPI 9, serious violence (docs/kpis.md §2): proven offences of local-resident children in violence against the person,
/// robbery or drugs with a gravity score of 5–8 and an outcome in the quarter, per 10,000 of the area's 10–17
/// population (the previous year's estimate, loaded as data: <see cref="AreaPopulationStore"/>; the result names the
/// estimate it used). Where none is loaded the denominator is 0 and the value null: the rate is missing, not zero.
/// <para>
/// The unit is the offence, as §2 words it, so these results carry no child breakdowns except
/// <see cref="Children"/>. An offence is counted on its own row's outcome group and date: an appeal changes the
/// intervention (§1 leaves that out of the order-based KPIs), and the YOT re-sends the offence if the outcome changed.
/// </para>
/// </summary>
public sealed class SeriousViolenceKpi : IKpiFamily
{
    public const string Id = "kpi9-serious-violence";
    public const string Share = Id + "-share";
    public const string Children = Id + "-children";

    public const string Category = "category";
    public const string Score = "score";
    public const string OrderType = "order-type";

    public const string OtherCategories = "Other categories";
    public const string LowerScores = "1-4";
    public const string NoIntervention = "No intervention recorded";

    private static readonly string[] SeriousCategories = ["VIOLENCE_AGAINST_THE_PERSON", "ROBBERY", "DRUGS"];

    /// <summary>The category groups as a board reads them.</summary>
    private static readonly Dictionary<string, string> CategoryNames = new(StringComparer.Ordinal)
    {
        ["VIOLENCE_AGAINST_THE_PERSON"] = "Violence against the person", ["ROBBERY"] = "Robbery", ["DRUGS"] = "Drugs",
    };

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotOffences);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 900, "Serious violence: serious violent offences per 10,000 children aged 10-17", Scale: 10_000,
            Units: KpiUnits.RatePerPopulation("serious violent offences")) { Sources = From },
        new(Share, 901, "Serious violent offences as a share of all proven offences", Headline: false, Parent: Id,
            Units: new("serious violent offences", "proven offences")) { Sources = From },
        new(Children, 902, "Children with a serious violent offence ÷ children with any proven offence", Headline: false,
            Parent: Id) { Sources = From },
    ];

    /// <summary>§2: violence against the person, robbery or drugs, gravity score 5 to 8.</summary>
    internal static bool IsSerious(ProvenOffences.Offence o) =>
        SeriousCategories.Contains(o.Record.Category) && o.Record.SeriousnessScore is >= 5 and <= 8;

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        // §2: outcome date in the quarter (every outcome group counts), a local resident aged 10–17 at offence
        // (pre-court) or at outcome (court).
        var offences = ProvenOffences.All(context.Data).Where(o => context.Quarter.Contains(o.Record.OutcomeDate) && o.Counts).ToList();
        var serious = offences.Where(IsSerious).ToList();
        var headline = Breakdowns.Plain(Id, serious.Count, context.Population?.Population ?? 0, serious.SelectMany(o => o.Sources),
            scale: 10_000)
            with { Population = context.Population };

        var share = Breakdowns.Plain(Share, serious.Count, offences.Count, offences.SelectMany(o => o.Sources)) with
        {
            Breakdowns = new SortedDictionary<string, IReadOnlyList<KpiGroup>>(StringComparer.Ordinal)
            {
                // Each group: serious offences ÷ all offences of the group. The three categories and scores 5–8 are
                // shown even when empty; the rest fall in one group so that the groups add up to the headline.
                [Category] = Groups(offences, o => CategoryNames.GetValueOrDefault(o.Record.Category, OtherCategories),
                    [.. SeriousCategories.Select(c => CategoryNames[c]), OtherCategories]),
                [Score] = Groups(offences, o => o.Record.SeriousnessScore >= 5
                    ? o.Record.SeriousnessScore.ToString(System.Globalization.CultureInfo.InvariantCulture) : LowerScores,
                    [LowerScores, "5", "6", "7", "8"]),
                // §2 "by order type (excluding non-substantive OOCD)": an offence's order type is that of the
                // intervention it names; offences dealt with by a community resolution or NFA outcome are left out of
                // this breakdown only (so its groups add up to less than the headline), those naming no intervention
                // the YOT has sent are shown apart.
                [OrderType] =
                    Groups(offences.Where(o => o.Intervention is null
                    || OrderTypes.GroupOf(o.Intervention.DisposalType) != OrderTypes.NonSubstantiveOocd),
                    o => o.Intervention is null ? NoIntervention : OrderTypes.GroupOf(o.Intervention.DisposalType),
                    [.. OrderTypes.Groups.Where(g => g != OrderTypes.NonSubstantiveOocd), NoIntervention]),
            },
        };

        // Children with a serious violent offence ÷ children with any, with the child breakdowns: each child's profile
        // comes from the most serious counted intervention their offences in the quarter name.
        var byChild = offences.GroupBy(o => o.ChildId, StringComparer.Ordinal)
            .Select(g => new ChildCount(g.Key, g.Any(IsSerious) ? 1 : 0, 1));
        var children = Breakdowns.Build(Children, byChild, ProvenOffences.Profiles(context.Data, offences, context.Quarter.End),
            offences.SelectMany(o => o.Sources));

        return Task.FromResult<IReadOnlyList<KpiResult>>([headline, share, children]);
    }

    private static List<KpiGroup> Groups(IEnumerable<ProvenOffences.Offence> offences, Func<ProvenOffences.Offence, string> groupOf,
        string[] groups)
    {
        var list = offences.ToList();
        return [.. groups.Select(g => new KpiGroup
        {
            Group = g,
            Numerator = list.Count(o => groupOf(o) == g && IsSerious(o)),
            Denominator = list.Count(o => groupOf(o) == g),
        })];
    }
}
