using System.Text.Json.Nodes;
using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>How each attendance code counts (docs/kpis.md §4), read from the published code list.</summary>
public sealed class AttendanceCodes
{
    private readonly Dictionary<string, (bool Possible, bool Attended)> _codes = new(StringComparer.Ordinal);

    private AttendanceCodes(JsonNode list)
    {
        foreach (var (_, group) in list["groups"]!.AsObject())
        {
            var possible = group!["possible"]!.GetValue<bool>();
            var attended = group["attended"]!.GetValue<bool>();
            foreach (var code in group["codes"]!.AsArray()) _codes[code!.GetValue<string>()] = (possible, attended);
        }
    }

    public static AttendanceCodes Default { get; } = new(SchemaCatalogue.ReadEmbedded("codelists/attendance-codes.json"));

    public (bool Possible, bool Attended) Classify(string code) =>
        _codes.TryGetValue(code, out var c) ? c : throw new InvalidDataException($"Attendance code '{code}' is not in the code list.");
}
