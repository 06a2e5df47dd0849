using YouthJustice.Pipeline.Kpis.Data;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPI 7 (docs/kpis.md §2): children with an order ending who were looked after, on a child protection plan, a child in
/// need or on an Early Help plan at any time during the order (a <c>yot-care-status</c> episode overlapping the order's
/// start..end, both inclusive) ÷ children with an order ending. An Early Help <i>referral</i> is not a plan: it is
/// reported on its own, made before the order's start vs on or after it.
/// </summary>
public sealed class WiderServicesKpi : IKpiFamily
{
    public const string Id = "kpi7-wider-services";

    private const string EarlyHelpReferral = "EARLY_HELP_REFERRAL";

    /// <summary>The statuses that count as wider services, each also reported on its own.</summary>
    private static readonly IReadOnlyList<(string Suffix, string Status, string Label)> Statuses =
    [
        ("looked-after", "LOOKED_AFTER", "looked after"),
        ("cpp", "CHILD_PROTECTION_PLAN", "on a child protection plan"),
        ("cin", "CHILD_IN_NEED", "a child in need"),
        ("early-help-plan", "EARLY_HELP_PLAN", "on an Early Help plan"),
    ];

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotCareStatus);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 700, "Children looked after, on a CPP, CIN or Early Help plan during the order") { Sources = From,
            Split = KpiSplit.During },
        new($"{Id}-start", 701, "Children looked after, on a CPP, CIN or Early Help plan at the order's start", false,
            Parent: Id) { Sources = From, Split = KpiSplit.Start },
        new($"{Id}-end", 702, "Children looked after, on a CPP, CIN or Early Help plan at the order's end", false,
            Parent: Id) { Sources = From, Split = KpiSplit.End },
        .. Statuses.Select((s, i) => new KpiDefinition($"{Id}-{s.Suffix}", 703 + i, $"Children {s.Label} during the order", false,
            Parent: Id)
            { Sources = From, Split = KpiSplit.During }),
        new($"{Id}-early-help-referral-before-start", 707, "Children referred to Early Help before the order's start", false,
            Parent: Id) { Sources = From },
        new($"{Id}-early-help-referral-after-start", 708, "Children referred to Early Help on or after the order's start, by its end",
            false, Parent: Id) { Sources = From },
    ];

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var population = context.OrdersEnding;
        var byChild = context.Data.CareStatus.ToLookup(c => c.ChildId, StringComparer.Ordinal);
        var services = Statuses.Select(s => s.Status).ToHashSet(StringComparer.Ordinal);
        var sources = KpiContext.Sources(population.Values)
            .Concat(population.Keys.SelectMany(child => byChild[child]).Select(c => c.DropId)).ToList();

        KpiResult Count(string id, Func<CountedOrderEpisodes, bool> counts) => Breakdowns.Build(id,
            population.Values.Select(o => new ChildCount(o.ChildId, counts(new(o, byChild[o.ChildId])) ? 1 : 0, 1)),
            context.OrdersEndingProfiles, sources);

        var results = new List<KpiResult>
        {
            Count(Id, c => c.Episodes.Any(e => services.Contains(e.Status) && e.OpenDuring(c.Order.Start, c.End))),
            // At start / at end as §1 judges dated records: open on the start (the day before, for custody) / on the end.
            Count($"{Id}-start", c => c.Episodes.Any(e => services.Contains(e.Status) && e.OpenOn(c.Order.AtStartDay))),
            Count($"{Id}-end", c => c.Episodes.Any(e => services.Contains(e.Status) && e.OpenOn(c.End))),
        };
        foreach (var s in Statuses)
            results.Add(Count($"{Id}-{s.Suffix}", c => c.Episodes.Any(e => e.Status == s.Status && e.OpenDuring(c.Order.Start, c.End))));
        // A referral is an event: its start_date is the day it was made. Before = any time before the start;
        // after = from the start day to the order's end (a referral after the order ended says nothing about it).
        results.Add(Count($"{Id}-early-help-referral-before-start",
            c => c.Episodes.Any(e => e.Status == EarlyHelpReferral && e.Start < c.Order.Start)));
        results.Add(Count($"{Id}-early-help-referral-after-start",
            c => c.Episodes.Any(e => e.Status == EarlyHelpReferral && e.Start >= c.Order.Start && e.Start <= c.End)));
        return Task.FromResult<IReadOnlyList<KpiResult>>(results);
    }

    private sealed record CountedOrderEpisodes(Population.CountedOrder Order, IEnumerable<CareStatusRecord> Episodes)
    {
        /// <summary>Children with an order ending always have an end date.</summary>
        public DateOnly End => Order.End!.Value;
    }
}
