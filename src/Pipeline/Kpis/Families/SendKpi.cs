using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPI 3 (docs/kpis.md §2): of the children with an order ending whose SEND/ALN record open at the end shows an identified
/// need, those whose record also has a formal plan; also identified need ÷ all children with an order ending, and the
/// SEND children in suitable ETE at the end (KPI 2's rule: every open ETE record suitable).
/// </summary>
public sealed class SendKpi : IKpiFamily
{
    public const string Id = "kpi3-send";
    public const string Identified = Id + "-identified";
    public const string SuitableEte = Id + "-suitable-ete";

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotSend);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 300, "Children with an identified SEND/ALN need who have a formal plan, at the end of the order") { Sources = From,
            Split = KpiSplit.End },
        new(Identified, 301, "Identified SEND/ALN need at the end of the order", Headline: false, Parent: Id) { Sources = From,
            Split = KpiSplit.End },
        new(SuitableEte, 302, "Children with an identified SEND/ALN need in suitable ETE at the end", Headline: false, Parent: Id)
            { Sources = [.. From, DropTypes.YotEte], Split = KpiSplit.End },
    ];

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var orders = context.OrdersEnding.Values.ToList();
        var profiles = context.OrdersEndingProfiles;
        var sendByChild = context.Data.Send.ToLookup(r => r.ChildId, StringComparer.Ordinal);
        var eteByChild = context.Data.Ete.ToLookup(r => r.ChildId, StringComparer.Ordinal);

        // At end (§1): records open on the counted order's end date. A child has one SEND record at a time, but two
        // can touch on a changeover day; a need (or a need with a plan) on any open record counts.
        var sendAtEnd = orders.ToDictionary(o => o.ChildId, o => EpisodeRules.OpenOn(sendByChild, o.ChildId, o.End!.Value),
            StringComparer.Ordinal);
        bool HasNeed(CountedOrder o) => sendAtEnd[o.ChildId].Any(r => r.IdentifiedNeed);
        bool HasNeedAndPlan(CountedOrder o) => sendAtEnd[o.ChildId].Any(r => r.IdentifiedNeed && r.FormalPlan);

        var withNeed = orders.Where(HasNeed).ToList();
        var eteAtEnd = withNeed.ToDictionary(o => o.ChildId, o => EpisodeRules.OpenOn(eteByChild, o.ChildId, o.End!.Value),
            StringComparer.Ordinal);

        IEnumerable<string> SendSources(IEnumerable<CountedOrder> children) =>
            KpiContext.Sources(children).Concat(children.SelectMany(o => sendAtEnd[o.ChildId].Select(r => r.DropId)));

        IReadOnlyList<KpiResult> results =
        [
            Breakdowns.Build(Id, withNeed.Select(o => new ChildCount(o.ChildId, HasNeedAndPlan(o) ? 1 : 0, 1)), profiles,
                SendSources(withNeed)),
            Breakdowns.Build(Identified, orders.Select(o => new ChildCount(o.ChildId, HasNeed(o) ? 1 : 0, 1)), profiles,
                SendSources(orders)),
            Breakdowns.Build(SuitableEte,
                withNeed.Select(o => new ChildCount(o.ChildId, EpisodeRules.AllSuitable(eteAtEnd[o.ChildId], EteKpi.IsSuitable) ? 1 : 0,
                    1)), profiles,
                SendSources(withNeed).Concat(eteAtEnd.Values.SelectMany(rs => rs.Select(r => r.DropId)))),
        ];
        return Task.FromResult(results);
    }
}
