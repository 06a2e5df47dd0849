using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Api;

/// <summary>How the API writes JSON; KPI results take the shape <see cref="KpiJson"/> gives them, as <c>pipeline kpis --json</c>
/// does.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Served as application/json, never inlined into HTML: apostrophes and '§' stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static object Set(KpiSet set, bool suppressedView) => KpiJson.Set(set, suppressedView);

    public static object Kpi(KpiResult k) => KpiJson.Kpi(k);
}
