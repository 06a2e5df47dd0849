using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Api;

/// <summary>
/// KPI results as the API returns them (design.md §5, the same shape as <c>pipeline kpis --json</c>). Withheld, missing
/// and zero stay three states: withheld is <c>suppressed: true</c> with null figures; missing a denominator of 0 and a
/// null value; zero a value of 0.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Served as application/json, never inlined into HTML: apostrophes and '§' stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static object Set(KpiSet set, bool suppressedView) => new
    {
        yot = set.Yot,
        period = set.Period,
        periodLabel = set.PeriodLabel,
        engineVersion = set.EngineVersion,
        disclosureControl = suppressedView,
        sourceDrops = set.SourceDrops,
        kpis = set.Kpis.Select(Kpi),
    };

    public static object Kpi(KpiResult k) => new
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
    };
}
