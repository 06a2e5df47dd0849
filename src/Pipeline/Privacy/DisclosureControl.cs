using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Privacy;

/// <summary>
/// Small-number suppression for whatever leaves the YOT (docs/kpis.md §5, ARCHITECTURE.md §5): a separate step over a computed
/// <see cref="KpiSet"/>, never inside the engine, so YOT analysts keep the unsuppressed figures.
/// <list type="number">
/// <item><b>Primary</b>: a headline or breakdown group whose numerator, denominator or complement (denominator −
/// numerator) is from 1 to the threshold is withheld. The complement because "5 of 8 in suitable education" says as
/// plainly as "3 of 8 not" that three children were not. Zero is not small: "none" and "all" disclose nobody, and
/// withheld, missing (denominator 0, value null) and zero stay three different states. A numerator larger than its
/// denominator (hours, offences per child) has no complement to protect.</item>
/// <item><b>Secondary</b>: a breakdown's groups add up to its headline, so with the headline published, a breakdown
/// holding exactly one withheld group gives it away by subtraction (numerator, denominator and so complement alike). The
/// next-smallest group (by denominator, then numerator, then name, so the choice is deterministic) is withheld too.
/// Every breakdown is treated as adding up to the headline, even where a few children have no profile: the reader
/// cannot tell.</item>
/// <item><b>Check</b>: before anything is released, <see cref="Verify"/> proves no withheld cell can be worked back
/// out from its table's totals, and throws if one can.</item>
/// </list>
/// Withheld cells leave with no numbers at all (numerator, denominator 0 and <see cref="KpiResult.Suppressed"/> set; the
/// outputs print them as <c>c</c>). With <see cref="DisclosureOptions.RoundTo"/>, published counts are rounded and
/// values are computed from the rounded counts, so a value cannot undo the rounding.
/// Known limit: tables are checked one by one. Two KPIs that split one denominator between them (suitable / not
/// suitable) are covered by the complement rule; three or more that do are not cross-checked.
/// </summary>
public static class DisclosureControl
{
    public static KpiSet Apply(KpiSet set, DisclosureOptions options)
    {
        var released = set with { Kpis = set.Kpis.Select(k => Apply(k, options)).ToList() };
        Verify(set, released, options);
        return released;
    }

    private static KpiResult Apply(KpiResult k, DisclosureOptions options)
    {
        if (options.IsExempt(k.Id)) return k;
        var headlineWithheld = Small(k.Numerator, k.Denominator, options);
        var breakdowns = new SortedDictionary<string, IReadOnlyList<KpiGroup>>(StringComparer.Ordinal);
        foreach (var (name, groups) in k.Breakdowns)
        {
            var withheld = groups.Select(g => Small(g.Numerator, g.Denominator, options)).ToArray();
            // With the headline withheld there is no total to subtract from. A breakdown cannot be published in full
            // either: the groups' numerators, denominators and complements add up to the headline's, so one of them is
            // no bigger than the small headline figure and withheld already.
            if (!headlineWithheld && withheld.Count(w => w) == 1 && NextSmallest(groups, withheld) is { } next) withheld[next] = true;
            breakdowns[name] = groups.Select((g, i) => withheld[i]
                ? new KpiGroup { Group = g.Group, Suppressed = true }
                : g with { Numerator = options.Round(g.Numerator), Denominator = options.Round(g.Denominator), Suppressed = false })
                    .ToList();
        }
        return headlineWithheld
            ? k with { Numerator = 0, Denominator = 0, Suppressed = true, Breakdowns = breakdowns }
            : k with { Numerator = options.Round(k.Numerator), Denominator = options.Round(k.Denominator), Suppressed = false,
                Breakdowns = breakdowns };
    }

    /// <summary>A cell to withhold: its numerator, denominator or complement (denominator − numerator) is from 1 to the
    /// threshold.</summary>
    public static bool Small(long numerator, long denominator, DisclosureOptions options) =>
        options.IsSmall(numerator) || options.IsSmall(denominator) || options.IsSmall(denominator - numerator);

    /// <summary>
    /// The published group to withhold alongside a lone withheld one: the smallest with something in it (withholding an
    /// empty group hides nothing a reader could not guess), else the smallest empty one; null when there is no other group.
    /// </summary>
    private static int? NextSmallest(IReadOnlyList<KpiGroup> groups, bool[] withheld)
    {
        var candidates = Enumerable.Range(0, groups.Count).Where(i => !withheld[i])
            .OrderBy(i => groups[i].Numerator == 0 && groups[i].Denominator == 0 ? 1 : 0)
            .ThenBy(i => groups[i].Denominator).ThenBy(i => groups[i].Numerator)
            .ThenBy(i => groups[i].Group, StringComparer.Ordinal)
            .ToList();
        return candidates.Count > 0 ? candidates[0] : null;
    }

    /// <summary>
    /// The check before release, over the computed figures and the pattern about to leave: every cell with a small
    /// count or complement is withheld, withheld cells carry no numbers, and no withheld cell can be worked out from its table — a
    /// published
    /// headline minus the published groups of a breakdown that adds up to it, or a withheld headline re-added from a
    /// breakdown published in full. Throws <see cref="DisclosureException"/> naming the KPI and breakdown (never a figure).
    /// </summary>
    public static void Verify(KpiSet computed, KpiSet released, DisclosureOptions options)
    {
        var original = computed.Kpis.ToDictionary(k => k.Id, StringComparer.Ordinal);
        foreach (var r in released.Kpis)
        {
            if (!original.TryGetValue(r.Id, out var o)) throw new DisclosureException(r.Id, null, "is not in the computed results");
            if (options.IsExempt(r.Id)) continue;
            var smallHeadline = Small(o.Numerator, o.Denominator, options);
            if (smallHeadline && !r.Suppressed) throw new DisclosureException(r.Id, null,
                "publishes a headline count or complement from 1 to the threshold");
            if (r.Suppressed && (r.Numerator != 0 || r.Denominator != 0)) throw new DisclosureException(r.Id, null,
                "carries numbers in a withheld headline");

            foreach (var (name, groups) in o.Breakdowns)
            {
                var shown = r.Breakdowns.TryGetValue(name, out var g) ? g.ToDictionary(x => x.Group, StringComparer.Ordinal) : [];
                var withheld = new List<KpiGroup>();
                foreach (var cell in groups)
                {
                    var out_ = shown.GetValueOrDefault(cell.Group);
                    if (out_ is null) continue;   // a group left out altogether is withheld in effect but not marked
                    if (out_.Suppressed)
                    {
                        if (out_.Numerator != 0 || out_.Denominator != 0) throw new DisclosureException(r.Id, name,
                            "carries numbers in a withheld group");
                        withheld.Add(cell);
                    }
                    else if (Small(cell.Numerator, cell.Denominator, options))
                        throw new DisclosureException(r.Id, name, "publishes a group count or complement from 1 to the threshold");
                }
                var addsUp = groups.Sum(x => x.Numerator) == o.Numerator || groups.Sum(x => x.Denominator) == o.Denominator;
                if (!addsUp) continue;
                if (!r.Suppressed && withheld.Count == 1)
                    throw new DisclosureException(r.Id, name,
                        "has one withheld group, which the headline less the other groups gives away");
                if (r.Suppressed && withheld.Count == 0 && shown.Count == groups.Count
                    && groups.Any(x => x.Numerator != 0 || x.Denominator != 0))
                    throw new DisclosureException(r.Id, name, "is published in full and adds up to the withheld headline");
            }
        }
    }
}

/// <summary>A suppression pattern that would let a withheld cell be worked out. Names the table, never a figure.</summary>
public sealed class DisclosureException(string kpiId, string? breakdown, string problem)
    : InvalidOperationException($"Disclosure check failed: {kpiId}{(breakdown is null ? "" : $" by {breakdown}")} {problem}.")
{
    public string KpiId { get; } = kpiId;
    public string? Breakdown { get; } = breakdown;
}
