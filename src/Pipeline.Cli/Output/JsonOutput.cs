using System.Text.Json;
using System.Text.Json.Serialization;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>KPI results as JSON (design.md §5).</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Kpis(KpiSet set) => JsonSerializer.Serialize(new
    {
        yot = set.Yot,
        period = set.Period,
        periodLabel = set.PeriodLabel,
        engineVersion = set.EngineVersion,
        sourceDrops = set.SourceDrops,
        kpis = set.Kpis.Select(k => new
        {
            id = k.Id,
            numerator = k.Numerator,
            denominator = k.Denominator,
            value = k.Value,
            breakdowns = k.Breakdowns.ToDictionary(b => b.Key, b => b.Value.Select(g => new
            {
                group = g.Group,
                numerator = g.Numerator,
                denominator = g.Denominator,
                value = g.Suppressed ? null : g.Value,
                suppressed = g.Suppressed,
            })),
        }),
    }, Options);
}
