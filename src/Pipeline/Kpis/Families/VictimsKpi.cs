using YouthJustice.Pipeline.Kpis.Data;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPI 10, victims (docs/kpis.md §2): victims who engaged with restorative justice ÷ victims who consented to contact,
/// among victims of offences linked to children with an order ending (§1's population).
/// <para>
/// A victim is linked through the offence: the victim row's child and offence_id must name a proven offence the YOT has
/// sent for a child with an order ending (any of the child's offences, not only those of the counted order). The unit
/// is a victim of a child: a victim of two of the child's offences counts once (their flags combined: Y on any row),
/// a victim of two children once for each child, as each child's case is reported. Engagement counts only where
/// consent was given, so the value never exceeds 1. Breakdowns are the offending child's (§1).
/// </para>
/// </summary>
public sealed class VictimsKpi : IKpiFamily
{
    public const string Id = "kpi10-victims";
    public const string ViewSought = Id + "-view-sought";
    public const string Progress = Id + "-progress";
    public const string Support = Id + "-support";

    private static readonly KpiUnits VictimUnits = new("victims", "victims");

    /// <summary>A victim counts through the offence it is recorded against, so the offences feed it too.</summary>
    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotOffences, DropTypes.YotVictims);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 1000, "Victims: victims who engaged with restorative justice, of those who consented to contact",
            Units: VictimUnits) { Sources = From },
        new(ViewSought, 1001, "Victims whose views were sought before the decision, of those who consented", Headline: false, Parent: Id,
            Units: VictimUnits) { Sources = From },
        new(Progress, 1002, "Victims given progress information, of those who asked for it", Headline: false, Parent: Id,
            Units: VictimUnits) { Sources = From },
        new(Support, 1003, "Victims given information on support services, of those who asked for it", Headline: false, Parent: Id,
            Units: VictimUnits) { Sources = From },
    ];

    private sealed record Victim(string ChildId, bool Consented, bool Engaged, bool ViewSought, bool ProgressRequested,
        bool ProgressProvided,
        bool SupportRequested, bool SupportProvided);

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var orders = context.OrdersEnding;
        var offences = context.Data.Offences.Where(o => orders.ContainsKey(o.ChildId)).ToDictionary(o => (o.ChildId, o.OffenceId));
        var rows = context.Data.Victims.Where(v => offences.ContainsKey((v.ChildId, v.OffenceId))).ToList();

        var victims = rows.GroupBy(v => (v.ChildId, v.VictimId))
            .Select(g => new Victim(g.Key.ChildId,
                Consented: g.Any(v => v.ConsentedToContact),
                Engaged: g.Any(v => v.ConsentedToContact && v.EngagedWithRj == true),
                ViewSought: g.Any(v => v.ConsentedToContact && v.ViewSought == true),
                ProgressRequested: g.Any(v => v.ProgressRequested == true),
                ProgressProvided: g.Any(v => v.ProgressRequested == true && v.ProgressProvided == true),
                SupportRequested: g.Any(v => v.SupportRequested == true),
                SupportProvided: g.Any(v => v.SupportRequested == true && v.SupportInformationProvided == true)))
            .ToList();

        var children = victims.Select(v => v.ChildId).ToHashSet(StringComparer.Ordinal);
        var sources = rows.Select(v => v.DropId)
            .Concat(rows.Select(v => offences[(v.ChildId, v.OffenceId)].DropId))
            .Concat(KpiContext.Sources(orders.Values.Where(o => children.Contains(o.ChildId))))
            .ToList();

        KpiResult Measure(string id, Func<Victim, bool> numerator, Func<Victim, bool> denominator) =>
            Breakdowns.Build(id, victims.Where(denominator).GroupBy(v => v.ChildId, StringComparer.Ordinal)
                .Select(g => new ChildCount(g.Key, g.Count(numerator), g.Count())), context.OrdersEndingProfiles, sources);

        return Task.FromResult<IReadOnlyList<KpiResult>>(
        [
            Measure(Id, v => v.Engaged, v => v.Consented),
            Measure(ViewSought, v => v.ViewSought, v => v.Consented),
            Measure(Progress, v => v.ProgressProvided, v => v.ProgressRequested),
            Measure(Support, v => v.SupportProvided, v => v.SupportRequested),
        ]);
    }
}
