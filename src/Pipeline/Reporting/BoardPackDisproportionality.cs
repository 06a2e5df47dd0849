using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Reporting;

/// <summary>
/// Relative rate indices for a breakdown: a group's rate ÷ the reference group's rate, with a
/// significance flag from a two-sided two-proportion z-test at 95% (|z| ≥ 1.96, pooled proportion):
/// <c>p = (n₁ + n₂) ÷ (d₁ + d₂)</c>, <c>z = (n₁/d₁ − n₂/d₂) ÷ √(p(1 − p)(1/d₁ + 1/d₂))</c>.
/// The reference is the <c>White</c> group for ethnicity (as boards are used to), otherwise the group with the largest
/// denominator (ties by name). The test assumes each counted unit is independent: true of children, not of sessions or
/// hours (one pupil's sessions move together), so measures counting sessions or hours get an index but no test.
/// A withheld group (or a withheld reference) has no index: printing one would give its rate away.
/// </summary>
public static class BoardPackDisproportionality
{
    public const string EthnicityReference = "White";
    public const double Critical95 = 1.959964;

    /// <summary>Whether a measure's groups get the significance test: not when it counts sessions or hours (<see
    /// cref="KpiUnits.Clustered"/>), whatever family declares it.</summary>
    public static bool Testable(string kpiId) => !KpiCatalogue.Units(kpiId).Clustered;

    /// <param name="Rri">The relative rate index; null when it cannot be given (see <see cref="Reason"/>).</param>
    /// <param name="Significant">Null when untested.</param>
    /// <param name="Reason"><c>c</c> withheld, <c>x</c> not available (no denominator, or a reference rate of 0), <c>ref</c> the reference
    /// group itself.</param>
    public sealed record Index(KpiGroup Group, double? Rri, double? Z, bool? Significant, string? Reason);

    public static KpiGroup? Reference(string breakdown, IReadOnlyList<KpiGroup> groups)
    {
        if (breakdown == ChildProfiles.Ethnicity)
            return groups.FirstOrDefault(g => g.Group == EthnicityReference);
        return groups.OrderByDescending(g => g.Suppressed ? -1 : g.Denominator).ThenBy(g => g.Group, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public static IReadOnlyList<Index> Indices(string kpiId, string breakdown, IReadOnlyList<KpiGroup> groups)
    {
        var reference = Reference(breakdown, groups);
        var testable = Testable(kpiId);
        return groups.Select(g =>
        {
            if (g.Suppressed) return new Index(g, null, null, null, "c");
            if (reference is null) return new Index(g, null, null, null, "x");
            if (ReferenceEquals(g, reference)) return new Index(g, g.Value is null ? null : 1.0, null, null, "ref");
            if (reference.Suppressed) return new Index(g, null, null, null, "c");
            if (g.Value is not { } rate || reference.Value is not { } refRate || refRate == 0) return new Index(g, null, null, null, "x");
            var z = testable ? ZScore(g.Numerator, g.Denominator, reference.Numerator, reference.Denominator) : null;
            return new Index(g, rate / refRate, z, z is { } v ? Math.Abs(v) >= Critical95 : null, null);
        }).ToList();
    }

    /// <summary>The two-proportion z statistic (pooled); null where it is undefined (no denominator, or a pooled rate of 0 or 1).</summary>
    public static double? ZScore(long n1, long d1, long n2, long d2)
    {
        if (d1 <= 0 || d2 <= 0 || n1 < 0 || n2 < 0 || n1 > d1 || n2 > d2) return null;
        var pooled = (double)(n1 + n2) / (d1 + d2);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / d1 + 1.0 / d2));
        return se == 0 ? null : ((double)n1 / d1 - (double)n2 / d2) / se;
    }
}
