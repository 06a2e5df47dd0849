namespace YouthJustice.Pipeline.Kpis;

/// <summary>One child's part in a child-level KPI: what the child adds to the numerator and the denominator.</summary>
public readonly record struct ChildCount(string ChildId, long Numerator, long Denominator);

/// <summary>Child-level KPIs summed overall and per group of every breakdown of the children's profiles.</summary>
public static class Breakdowns
{
    /// <summary>A result with every breakdown; children without a profile are counted in the headline only.</summary>
    public static KpiResult Build(string id, IEnumerable<ChildCount> counts, IReadOnlyDictionary<string, ChildProfile> profiles,
        IEnumerable<string> sourceDrops, IReadOnlyList<string>? dimensions = null)
    {
        var children = counts.ToList();
        var groups = new SortedDictionary<string, IReadOnlyList<KpiGroup>>(StringComparer.Ordinal);
        foreach (var dimension in dimensions ?? ChildProfiles.Dimensions)
        {
            groups[dimension] = children
                .Where(c => profiles.ContainsKey(c.ChildId))
                .GroupBy(c => profiles[c.ChildId].Groups[dimension], StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new KpiGroup { Group = g.Key, Numerator = g.Sum(c => c.Numerator), Denominator = g.Sum(c => c.Denominator) })
                .ToList();
        }
        return new KpiResult
        {
            Id = id,
            Numerator = children.Sum(c => c.Numerator),
            Denominator = children.Sum(c => c.Denominator),
            Breakdowns = groups,
            SourceDrops = sourceDrops.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Children = children,
        };
    }

    /// <summary>A result over things that are not children (board sectors, offences): no breakdowns.</summary>
    public static KpiResult Plain(string id, long numerator, long denominator, IEnumerable<string> sourceDrops, double scale = 1) => new()
    {
        Id = id,
        Numerator = numerator,
        Denominator = denominator,
        Scale = scale,
        SourceDrops = sourceDrops.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
    };
}
