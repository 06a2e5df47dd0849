using System.Text.Json;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>The <c>kpi-recompute</c> queue message: ids only, never row contents.</summary>
public sealed record KpiRecomputeRequest(string Yot, string Period)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static KpiRecomputeRequest FromJson(string json) =>
        JsonSerializer.Deserialize<KpiRecomputeRequest>(json, Json) ?? throw new JsonException("Empty kpi-recompute message.");
}
