using System.Text.Json;
using System.Text.Json.Serialization;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Ingestion;

public static class ReceiptJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = RowCountsJson.Resolver,
    };

    public static string Serialize(Receipt receipt) => JsonSerializer.Serialize(receipt, Options);

    public static Receipt Deserialize(string json) => JsonSerializer.Deserialize<Receipt>(json, Options)!;

    /// <summary>One finding as {line, field, rule, severity, message[, value]}.</summary>
    public static void WriteError(Utf8JsonWriter w, RowError e)
    {
        w.WriteStartObject();
        if (e.Line is { } line) w.WriteNumber("line", line); else w.WriteNull("line");
        if (e.Field is { } field) w.WriteString("field", field); else w.WriteNull("field");
        w.WriteString("rule", e.Rule);
        w.WriteString("severity", e.Severity == RuleSeverity.Error ? "error" : "query");
        w.WriteString("message", e.Message);
        if (e.Value is not null) w.WriteString("value", e.Value);
        w.WriteEndObject();
    }
}

internal sealed class RowErrorListConverter : JsonConverter<IReadOnlyList<RowError>>
{
    public override IReadOnlyList<RowError> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var list = new List<RowError>();
        using var doc = JsonDocument.ParseValue(ref reader);
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            list.Add(new RowError(
                e.GetProperty("line").ValueKind == JsonValueKind.Number ? e.GetProperty("line").GetInt32() : null,
                e.GetProperty("field").ValueKind == JsonValueKind.String ? e.GetProperty("field").GetString() : null,
                e.GetProperty("rule").GetString()!,
                e.GetProperty("severity").GetString() == "error" ? RuleSeverity.Error : RuleSeverity.Query,
                e.GetProperty("message").GetString()!,
                e.TryGetProperty("value", out var v) ? v.GetString() : null));
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<RowError> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var e in value) ReceiptJson.WriteError(writer, e);
        writer.WriteEndArray();
    }
}
