using System.Text.Json;
using System.Text.Json.Serialization;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Output;

/// <summary>KPI results as JSON, in the shape <see cref="KpiJson"/> gives them (the KPI results contract in the README).</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Kpis(KpiSet set, bool disclosureControl = false) =>
        JsonSerializer.Serialize(KpiJson.Set(set, disclosureControl), Options);

    /// <summary>A YOT's results quarter by quarter (oldest first), each quarter as <see cref="Kpis"/> prints it.</summary>
    public static string Trend(string yot, IReadOnlyList<KpiSet> sets, bool disclosureControl = false) => JsonSerializer.Serialize(new
    {
        yot,
        periods = sets.Select(s => s.Period),
        trend = sets.Select(s => KpiJson.Set(s, disclosureControl)),
    }, Options);
}
