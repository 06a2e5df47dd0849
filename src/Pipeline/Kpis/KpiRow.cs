namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// One row of a KPI results file or the KpiResults table: a headline (breakdown "all", group "all") or one group
/// of a breakdown. Suppressed, missing (null value) and zero stay three different states.
/// </summary>
public sealed class KpiRow
{
    public const string All = "all";

    public string yot { get; set; } = "";
    public string period { get; set; } = "";
    public string period_label { get; set; } = "";
    public string kpi_id { get; set; } = "";
    public string breakdown { get; set; } = "";
    public string group { get; set; } = "";
    public long numerator { get; set; }
    public long denominator { get; set; }
    public double? value { get; set; }
    public bool suppressed { get; set; }
    public string engine_version { get; set; } = "";
    public string source_drops { get; set; } = "";

    public static IEnumerable<KpiRow> From(KpiSet set)
    {
        var sources = string.Join(";", set.SourceDrops);
        KpiRow Row(string id, string breakdown, string group, long n, long d, double? v, bool s) => new()
        {
            yot = set.Yot, period = set.Period, period_label = set.PeriodLabel, kpi_id = id, breakdown = breakdown, group = group,
            numerator = n, denominator = d, value = v, suppressed = s, engine_version = set.EngineVersion, source_drops = sources,
        };
        foreach (var k in set.Kpis.OrderBy(k => k.Id, StringComparer.Ordinal))
        {
            yield return Row(k.Id, All, All, k.Numerator, k.Denominator, k.Value, false);
            foreach (var (breakdown, groups) in k.Breakdowns)
                foreach (var g in groups)
                    yield return Row(k.Id, breakdown, g.Group, g.Numerator, g.Denominator, g.Suppressed ? null : g.Value, g.Suppressed);
        }
    }

    public static KpiSet ToSet(string yot, string period, IReadOnlyList<KpiRow> rows)
    {
        var first = rows.Count > 0 ? rows[0] : null;
        var kpis = rows.GroupBy(r => r.kpi_id).OrderBy(g => KpiIds.DisplayRank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var head = g.FirstOrDefault(r => r.breakdown == All) ?? new KpiRow();
            var breakdowns = new SortedDictionary<string, IReadOnlyList<KpiGroup>>(StringComparer.Ordinal);
            foreach (var b in g.Where(r => r.breakdown != All).GroupBy(r => r.breakdown))
                breakdowns[b.Key] = b.OrderBy(r => r.group, StringComparer.Ordinal)
                    .Select(r => new KpiGroup { Group = r.group, Numerator = r.numerator, Denominator = r.denominator, Suppressed = r.suppressed }).ToList();
            return new KpiResult { Id = g.Key, Numerator = head.numerator, Denominator = head.denominator, Breakdowns = breakdowns };
        }).ToList();
        return new KpiSet
        {
            Yot = yot,
            Period = period,
            PeriodLabel = first?.period_label ?? Periods.Quarter.Parse(period).FinancialYearLabel,
            EngineVersion = first?.engine_version ?? "",
            SourceDrops = first?.source_drops.Split(';', StringSplitOptions.RemoveEmptyEntries) ?? [],
            Kpis = kpis,
        };
    }
}
