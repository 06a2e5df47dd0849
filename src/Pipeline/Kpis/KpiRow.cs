namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// One row of a KPI results file or the KpiResults table: a headline (breakdown "all", group "all") or one group
/// of a breakdown. Withheld, missing and zero stay three different states: withheld is
/// <c>suppressed = true</c> with numerator, denominator and value all null (so a SUM over the file cannot mistake it
/// for zero); missing is a denominator of 0 with a null value; zero is a numerator of 0 with a value of 0. Figures are in
/// the units the row names (<c>numerator_unit</c>, <c>denominator_unit</c>, <c>value_unit</c>): hours in hours.
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
    public double? numerator { get; set; }
    public double? denominator { get; set; }
    public double? value { get; set; }
    public double scale { get; set; } = 1;
    public string numerator_unit { get; set; } = "";
    public string denominator_unit { get; set; } = "";
    public string value_unit { get; set; } = "";

    /// <summary>For a rate per population: the estimate's year and source (the figure is the denominator).</summary>
    public int? population_year { get; set; }
    public string? population_source { get; set; }
    public bool suppressed { get; set; }
    public string engine_version { get; set; } = "";
    public string source_drops { get; set; } = "";

    /// <summary>
    /// The computation the row belongs to (the YOT-quarter's recompute counter when it was computed): the file and the
    /// table rows of one YOT and quarter carry the same value once its recompute is complete.
    /// </summary>
    public long computation { get; set; }

    public static IEnumerable<KpiRow> From(KpiSet set)
    {
        foreach (var k in set.Kpis.OrderBy(k => k.Id, StringComparer.Ordinal))
        {
            var sources = string.Join(";", k.SourceDrops);
            var units = KpiCatalogue.Units(k.Id);
            // A withheld cell keeps no figures at all: suppressed, missing (null value) and zero stay apart.
            KpiRow Row(string breakdown, string group, long n, long d, double? v, bool s) => new()
            {
                yot = set.Yot, period = set.Period, period_label = set.PeriodLabel, kpi_id = k.Id, breakdown = breakdown, group = group,
                numerator = s ? null : units.Shown(n), denominator = s ? null : units.Shown(d), value = s ? null : v, scale = k.Scale,
                    suppressed = s,
                numerator_unit = units.Numerator, denominator_unit = units.Denominator, value_unit = units.Value(k.Scale),
                population_year = k.Population?.Year, population_source = k.Population?.Source,
                engine_version = set.EngineVersion, source_drops = sources, computation = set.Computation,
            };
            yield return Row(All, All, k.Numerator, k.Denominator, k.Value, k.Suppressed);
            foreach (var (breakdown, groups) in k.Breakdowns)
                foreach (var g in groups)
                    yield return Row(breakdown, g.Group, g.Numerator, g.Denominator, g.Value * k.Scale, g.Suppressed);
        }
    }

    public static KpiSet ToSet(string yot, string period, IReadOnlyList<KpiRow> rows)
    {
        var first = rows.Count > 0 ? rows[0] : null;
        var kpis = rows.GroupBy(r => r.kpi_id).OrderBy(g => KpiIds.DisplayRank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
        {
            var head = g.FirstOrDefault(r => r.breakdown == All) ?? new KpiRow();
            // Back from the units shown (hours) to those counted (minutes).
            var units = KpiCatalogue.Units(g.Key);
            var breakdowns = new SortedDictionary<string, IReadOnlyList<KpiGroup>>(StringComparer.Ordinal);
            foreach (var b in g.Where(r => r.breakdown != All).GroupBy(r => r.breakdown))
                breakdowns[b.Key] = b.OrderBy(r => r.group, StringComparer.Ordinal)
                    .Select(r => new KpiGroup { Group = r.group, Numerator = units.Counted(r.numerator ?? 0),
                        Denominator = units.Counted(r.denominator ?? 0), Suppressed = r.suppressed }).ToList();
            return new KpiResult
            {
                Id = g.Key, Numerator = units.Counted(head.numerator ?? 0), Denominator = units.Counted(head.denominator ?? 0),
                    Scale = head.scale, Suppressed = head.suppressed,
                SourceDrops = head.source_drops.Split(';', StringSplitOptions.RemoveEmptyEntries), Breakdowns = breakdowns,
                Population = head.population_year is { } year
                    ? new PopulationBasis(year, (long)(head.denominator ?? 0), head.population_source ?? "") : null,
            };
        }).ToList();
        return new KpiSet
        {
            Yot = yot,
            Period = period,
            PeriodLabel = first?.period_label ?? Periods.Quarter.Parse(period).FinancialYearLabel,
            EngineVersion = first?.engine_version ?? "",
            Computation = first?.computation ?? 0,
            SourceDrops = rows.SelectMany(r => r.source_drops.Split(';', StringSplitOptions.RemoveEmptyEntries))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Kpis = kpis,
        };
    }
}
