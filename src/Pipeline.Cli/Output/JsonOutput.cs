using System.Text.Json;
using System.Text.Json.Serialization;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>
/// KPI results as JSON (design.md §5, a contract: fields may be added, never removed). Withheld, missing and zero stay
/// three states: a withheld headline or group has <c>suppressed: true</c> and null numerator, denominator and value;
/// a missing one has a denominator of 0 and a null value; a zero has a value of 0.
/// </summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Kpis(KpiSet set) => JsonSerializer.Serialize(Set(set), Options);

    /// <summary>A YOT's results quarter by quarter (oldest first), each quarter as <see cref="Kpis"/> prints it.</summary>
    public static string Trend(string yot, IReadOnlyList<KpiSet> sets) => JsonSerializer.Serialize(new
    {
        yot,
        periods = sets.Select(s => s.Period),
        trend = sets.Select(Set),
    }, Options);

    private static object Set(KpiSet set) => new
    {
        yot = set.Yot,
        period = set.Period,
        periodLabel = set.PeriodLabel,
        engineVersion = set.EngineVersion,
        sourceDrops = set.SourceDrops,
        kpis = set.Kpis.Select(k => new
        {
            id = k.Id,
            title = KpiCatalogue.Title(k.Id),
            headline = KpiCatalogue.IsHeadline(k.Id),
            scale = k.Scale,
            numerator = k.Suppressed ? (long?)null : k.Numerator,
            denominator = k.Suppressed ? (long?)null : k.Denominator,
            value = k.Suppressed ? null : k.Value,
            suppressed = k.Suppressed,
            sourceDrops = k.SourceDrops,
            breakdowns = k.Breakdowns.ToDictionary(b => b.Key, b => b.Value.Select(g => new
            {
                group = g.Group,
                numerator = g.Suppressed ? (long?)null : g.Numerator,
                denominator = g.Suppressed ? (long?)null : g.Denominator,
                value = g.Suppressed ? null : g.Value * k.Scale,
                suppressed = g.Suppressed,
            })),
        }),
    };
}
