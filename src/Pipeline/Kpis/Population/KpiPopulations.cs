using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Kpis.Population;

/// <summary>The populations of docs/kpis.md §1 and §3, each applying the same exclusions once.</summary>
public static class KpiPopulations
{
    /// <summary>
    /// Interventions that count at all: not PREVENTION, not changed on appeal, the child known, a local resident and
    /// aged 10–17 on the intervention's start.
    /// </summary>
    public static IEnumerable<CountedOrder> Counted(YotData data)
    {
        foreach (var i in data.Interventions)
        {
            if (i.DisposalType == OrderTypes.Prevention || i.ChangedOnAppeal) continue;
            if (!data.Children.TryGetValue(i.ChildId, out var child) || !child.LocalResident) continue;
            if (child.AgeOn(i.Start) is not { } age || age is < 10 or > 17) continue;
            yield return new CountedOrder(child, i, age);
        }
    }

    /// <summary>
    /// "Children with an order ending in the period" (KPIs 1–5, 7, 10): one order per child, the most serious, then the
    /// latest legal outcome, the latest end, the greatest intervention id. Keyed and ordered by child.
    /// </summary>
    public static IReadOnlyDictionary<string, CountedOrder> OrdersEnding(YotData data, Quarter quarter) =>
        OneOrderPerChild(Counted(data).Where(o => o.End is { } end && quarter.Contains(end)));

    /// <summary>The caseload (docs/kpis.md §3): children with a counted intervention open on any day of the quarter.</summary>
    public static IReadOnlyDictionary<string, CountedOrder> Caseload(YotData data, Quarter quarter) =>
        OneOrderPerChild(Counted(data).Where(o => o.Start <= quarter.End && (o.End is null || o.End >= quarter.Start)));

    public static IReadOnlyDictionary<string, CountedOrder> OneOrderPerChild(IEnumerable<CountedOrder> orders)
    {
        var chosen = new SortedDictionary<string, CountedOrder>(StringComparer.Ordinal);
        foreach (var o in orders)
            if (!chosen.TryGetValue(o.ChildId, out var held) || Precedes(o, held)) chosen[o.ChildId] = o;
        return chosen;
    }

    private static bool Precedes(CountedOrder a, CountedOrder b)
    {
        var c = OrderTypes.Seriousness(a.Intervention.DisposalType).CompareTo(OrderTypes.Seriousness(b.Intervention.DisposalType));
        if (c == 0) c = a.Intervention.LegalOutcomeDate.CompareTo(b.Intervention.LegalOutcomeDate);
        if (c == 0) c = Nullable.Compare(a.End, b.End);
        if (c == 0) c = string.CompareOrdinal(a.Intervention.InterventionId, b.Intervention.InterventionId);
        return c > 0;
    }
}
