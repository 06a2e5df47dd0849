using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Reporting;

namespace YouthJustice.Pipeline.Submissions;

/// <summary>
/// The return's outward forms: JSON checked against the rules of schemas/kpi-return.schema.json before it leaves (the
/// JSON Schema validator package cannot be restored here, so the rules are checked in code and a test keeps the two in
/// step, as for agreements), CSV with the government statistical symbols, and the content hash that versions it.
/// </summary>
public static partial class KpiReturnDocument
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static byte[] Json(KpiReturn r) => JsonSerializer.SerializeToUtf8Bytes(r, JsonOptions);

    public static KpiReturn Parse(byte[] json) =>
        JsonSerializer.Deserialize<KpiReturn>(json, JsonOptions) ?? throw new InvalidDataException("The return is empty.");

    /// <summary>
    /// SHA-256 over the fields that carry meaning: the YOT, the quarter, and each row's id, measure, split, scale and units
    /// with each cell's column, state, numerator and denominator (values follow from them). Not the build time, the version,
    /// the engine version or the source drop ids — a rebuild from a re-sent identical file must hash the same.
    /// </summary>
    public static string ContentHash(string yot, string period, IReadOnlyList<ReturnRow> rows)
    {
        var text = new StringBuilder().Append(yot).Append('\n').Append(period).Append('\n');
        foreach (var row in rows)
        {
            text.Append(row.Id).Append('|').Append(row.Measure).Append('|').Append(row.Split).Append('|')
                .Append(row.Scale.ToString(CultureInfo.InvariantCulture)).Append('|').Append(row.Unit.Numerator).Append('|')
                    .Append(row.Unit.Denominator)
                .Append('|').Append(row.Unit.Value).Append('\n');
            foreach (var c in row.Cells)
                text.Append('\t').Append(c.Column).Append('|').Append(c.State).Append('|').Append(Figure(c.Numerator)).Append('|')
                    .Append(Figure(c.Denominator)).Append('\n');
        }
        return Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string? Figure(double? figure) => figure?.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Ids (<c>{row id}/{column}</c>) of the cells that differ between two versions — by state or figures. Only ids:
    /// the list says a withheld cell changed, never what it was or became.
    /// </summary>
    public static IReadOnlyList<string> Changes(KpiReturn? before, KpiReturn after)
    {
        var old = new Dictionary<string, ReturnCell>(StringComparer.Ordinal);
        foreach (var row in before?.Rows ?? [])
            foreach (var c in row.Cells) old[$"{row.Id}/{c.Column}"] = c;
        var changed = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in after.Rows)
            foreach (var c in row.Cells)
            {
                var id = $"{row.Id}/{c.Column}";
                seen.Add(id);
                if (!old.TryGetValue(id, out var o) || o.State != c.State || o.Numerator != c.Numerator
                    || o.Denominator != c.Denominator) changed.Add(id);
            }
        changed.AddRange(old.Keys.Where(k => !seen.Contains(k)));
        return changed;
    }

    /// <summary>
    /// The return as CSV: one block of three lines (numerator, denominator, value) per row, a column per order-type
    /// group plus the total; each line's <c>unit</c> says what its figures are (children, hours, "per 10,000 children
    /// aged 10-17 in the area"). Withheld cells are <c>c</c>, missing ones <c>x</c>, not applicable <c>z</c>; a value
    /// whose denominator is 0 is <c>x</c>; zero is 0. Every cell goes through <see cref="SafeCsv"/>.
    /// </summary>
    public static byte[] Csv(KpiReturn r)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        SafeCsv.WriteRow(w, ["yot", "period", "kpi", "measure", "breakdown", "group", "split", "figure", "unit", .. r.Columns]);
        foreach (var row in r.Rows)
        {
            foreach (var figure in Figures)
            {
                var cells = row.Cells.Select(c => c.State == CellStates.Published ? FigureText(c, figure) : CellStates.Symbol(c.State));
                var unit = figure switch { "numerator" => row.Unit.Numerator, "denominator" => row.Unit.Denominator, _ => row.Unit.Value };
                SafeCsv.WriteRow(w, [r.Yot, r.Period, row.Kpi, row.Measure, row.Breakdown, row.Group, row.Split, figure, unit, .. cells]);
            }
        }
        return Encoding.UTF8.GetBytes(w.ToString());
    }

    public static IReadOnlyList<string> Figures { get; } = ["numerator", "denominator", "value"];

    private static string FigureText(ReturnCell c, string figure) => figure switch
    {
        "numerator" => c.Numerator!.Value.ToString(CultureInfo.InvariantCulture),
        "denominator" => c.Denominator!.Value.ToString(CultureInfo.InvariantCulture),
        _ => c.Value is { } v ? Math.Round(v, 4).ToString("0.####", CultureInfo.InvariantCulture) : "x",
    };

    /// <summary>The rules of schemas/kpi-return.schema.json, checked in code. An empty list means the return may leave.</summary>
    public static IReadOnlyList<string> Check(KpiReturn r)
    {
        var problems = new List<string>();
        if (r.SchemaVersion != KpiReturn.CurrentSchemaVersion) problems.Add($"schemaVersion: must be {KpiReturn.CurrentSchemaVersion}");
        if (!Storage.NameRules.IsId(r.Yot)) problems.Add($"yot: use {Storage.NameRules.IdRule}");
        if (!PeriodPattern().IsMatch(r.Period ?? "")) problems.Add("period: must be YYYY-Qn");
        if (!PeriodLabelPattern().IsMatch(r.PeriodLabel ?? "")) problems.Add("periodLabel: must be YYYY/YY Qn");
        if (r.Version < 1) problems.Add("version: must be 1 or more");
        if (!HashPattern().IsMatch(r.ContentHash ?? "")) problems.Add("contentHash: must be 64 lower-case hex digits");
        if (string.IsNullOrEmpty(r.EngineVersion)) problems.Add("engineVersion: required");
        if (r.Disclosure is null || r.Disclosure.Threshold < 0
            || r.Disclosure.RoundTo < 0) problems.Add("disclosure: threshold and roundTo must be 0 or more");
        if (r.Columns is null || r.Columns.Count == 0
            || r.Columns[0] != ReturnLayout.Total) problems.Add($"columns: must start with {ReturnLayout.Total}");
        if (r.SourceDrops is null || r.SourceDrops.Any(d => !HashPattern()
            .IsMatch(d))) problems.Add("sourceDrops: drop ids are 64 lower-case hex digits");
        if (r.Rows is null || r.Rows.Count == 0)
        {
            problems.Add("rows: at least one row");
            return problems;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in r.Rows)
        {
            if (!ids.Add(row.Id)) problems.Add($"rows[{row.Id}]: id is not unique");
            if (!KpiPattern().IsMatch(row.Kpi ?? "")) problems.Add($"rows[{row.Id}].kpi: must be one of kpi1-… to kpi10-…");
            if (string.IsNullOrEmpty(row.Measure)
                || string.IsNullOrEmpty(row.Title)) problems.Add($"rows[{row.Id}]: measure and title required");
            if (row.Split is not (null or "start" or "end" or "during")) problems.Add($"rows[{row.Id}].split: start, end, during or null");
            if (row.Scale <= 0) problems.Add($"rows[{row.Id}].scale: must be more than 0");
            if (row.Unit is null || string.IsNullOrEmpty(row.Unit.Numerator) || string.IsNullOrEmpty(row.Unit.Denominator)
                || string.IsNullOrEmpty(row.Unit.Value))
                problems.Add($"rows[{row.Id}].unit: numerator, denominator and value required");
            if (row.Cells is null || r.Columns is null || row.Cells.Count != r.Columns.Count || row.Cells.Select(c => c.Column)
                .Where((c, i) => c != r.Columns[i]).Any())
            {
                problems.Add($"rows[{row.Id}].cells: one per column, in column order");
                continue;
            }
            foreach (var c in row.Cells)
            {
                var where = $"rows[{row.Id}].cells[{c.Column}]";
                if (!CellStates.All.Contains(c.State)) problems.Add($"{where}.state: must be one of {string.Join(", ", CellStates.All)}");
                else if (c.State == CellStates.Published)
                {
                    if (c.Numerator is not >= 0
                        || c.Denominator is not >= 0) problems.Add(
                        $"{where}: a published cell has a numerator and denominator of 0 or more");
                    else if ((c.Denominator == 0) != (c.Value is null)) problems.Add(
                        $"{where}.value: null exactly when the denominator is 0");
                }
                else if (c.Numerator is not null || c.Denominator is not null || c.Value is not null)
                    problems.Add($"{where}: a {c.State} cell carries no figures");
            }
        }
        return problems;
    }

    [GeneratedRegex("^[0-9]{4}-Q[1-4]$")] private static partial Regex PeriodPattern();
    [GeneratedRegex("^[0-9]{4}/[0-9]{2} Q[1-4]$")] private static partial Regex PeriodLabelPattern();
    [GeneratedRegex("^[0-9a-f]{64}$")] private static partial Regex HashPattern();
    [GeneratedRegex("^kpi([1-9]|10)-[a-z0-9-]+$")] private static partial Regex KpiPattern();
}

/// <summary>A return that breaks the published schema's rules: it is not written. Names the rules, never a figure.</summary>
public sealed class InvalidReturnException(string yot, string period, IReadOnlyList<string> problems)
    : InvalidOperationException(
        $"The {period} return of {yot} breaks schemas/kpi-return.schema.json: {string.Join("; ", problems.Take(10))}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
