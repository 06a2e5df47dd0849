using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Submissions;

/// <summary>
/// Lays a released (disclosure-controlled) <see cref="KpiSet"/> out as the YJB summary template does: for each of the
/// ten KPIs, a row per measure in the specification's order — the headline, then its sub-measures — and, where a
/// measure is broken down by something of its own (accommodation type, provision type, sector, offence category),
/// a row per group of it; columns: the total, then the six order-type groups.
/// </summary>
public static partial class ReturnLayout
{
    public const string Total = "Total";

    public static IReadOnlyList<string> Columns { get; } = [Total, .. OrderTypes.Groups];

    /// <summary>The ten YJB KPIs' definitions (headlines and sub-measures) in the order the specification lists them.</summary>
    public static IReadOnlyList<KpiDefinition> Measures { get; } = KpiCatalogue.Definitions.Values
        .Where(d => KpiOf(d.Id) is not null)
        .OrderBy(d => d.Rank).ThenBy(d => d.Id, StringComparer.Ordinal)
        .ToList();

    /// <summary>The YJB KPI (kpi1-… to kpi10-…) a definition belongs to, or null for the other measures.</summary>
    public static string? KpiOf(string measureId)
    {
        if (!YjbKpi().IsMatch(measureId)) return null;
        var d = KpiCatalogue.Definitions.GetValueOrDefault(measureId);
        var parent = d?.Parent ?? measureId;
        return YjbKpi().IsMatch(parent) ? parent : measureId;
    }

    /// <summary>The return's <c>split</c> of a measure: start / end / during the order, as its definition declares.</summary>
    public static string? SplitOf(KpiDefinition d) => d.Split switch
    {
        KpiSplit.Start => "start",
        KpiSplit.End => "end",
        KpiSplit.During => "during",
        _ => null,
    };

    public static IReadOnlyList<ReturnRow> Rows(KpiSet released)
    {
        var results = released.Kpis.ToDictionary(k => k.Id, StringComparer.Ordinal);
        var rows = new List<ReturnRow>();
        foreach (var d in Measures)
        {
            var kpi = KpiOf(d.Id)!;
            var split = SplitOf(d);
            var units = KpiCatalogue.Units(d.Id);
            if (!results.TryGetValue(d.Id, out var r))
            {
                rows.Add(new ReturnRow
                {
                    Id = d.Id, Kpi = kpi, Measure = d.Id, Title = d.Title, Split = split, Breakdown = null, Group = null, Scale = d.Scale,
                    Unit = ReturnUnit.Of(units, d.Scale), Cells = Columns.Select(c => Cell(c, CellStates.Missing, null, null, 1, units))
                        .ToList(),
                });
                continue;
            }

            var cells = new List<ReturnCell> { Headline(r, units) };
            var byOrder = r.Breakdowns.GetValueOrDefault(ChildProfiles.OrderType);
            foreach (var column in OrderTypes.Groups)
            {
                if (byOrder is null) cells.Add(Cell(column, CellStates.NotApplicable, null, null, r.Scale, units));
                else if (byOrder.FirstOrDefault(g => g.Group == column) is { } g) cells.Add(Group(column, g, r.Scale, units));
                // No child of this order type: a true zero, which discloses no one.
                else cells.Add(Cell(column, CellStates.Published, 0, 0, r.Scale, units));
            }
            rows.Add(new ReturnRow
            {
                Id = d.Id, Kpi = kpi, Measure = d.Id, Title = d.Title, Split = split, Breakdown = null, Group = null, Scale = r.Scale,
                Unit = ReturnUnit.Of(units, r.Scale), Cells = cells,
            });

            // The measure's own breakdowns (not the child-profile ones every child-level KPI carries): a row per group.
            foreach (var (breakdown, groups) in r.Breakdowns.Where(b => !ChildProfiles.Dimensions.Contains(b.Key)))
                foreach (var g in groups)
                    rows.Add(new ReturnRow
                    {
                        Id = $"{d.Id}/{breakdown}={g.Group}", Kpi = kpi, Measure = d.Id, Title = d.Title, Split = split,
                            Breakdown = breakdown,
                        Group = g.Group, Scale = r.Scale, Unit = ReturnUnit.Of(units, r.Scale),
                        Cells = [Group(Total, g, r.Scale, units),
                            .. OrderTypes.Groups.Select(c => Cell(c, CellStates.NotApplicable, null, null, r.Scale, units))],
                    });
        }
        return rows;
    }

    private static ReturnCell Headline(KpiResult r, KpiUnits units) => r.Suppressed
        ? Cell(Total, CellStates.Withheld, null, null, r.Scale, units)
        : Cell(Total, CellStates.Published, r.Numerator, r.Denominator, r.Scale, units);

    private static ReturnCell Group(string column, KpiGroup g, double scale, KpiUnits units) => g.Suppressed
        ? Cell(column, CellStates.Withheld, null, null, scale, units)
        : Cell(column, CellStates.Published, g.Numerator, g.Denominator, scale, units);

    /// <summary>A cell with its figures in the units shown (hours, not the minutes they are counted in).</summary>
    private static ReturnCell Cell(string column, string state, long? numerator, long? denominator, double scale, KpiUnits units) => new()
    {
        Column = column,
        State = state,
        Numerator = numerator is { } n ? units.Shown(n) : null,
        Denominator = denominator is { } d ? units.Shown(d) : null,
        Value = numerator is { } n2 && denominator is { } d2 && d2 != 0 ? Math.Round((double)n2 / d2 * scale, 6) : null,
    };

    [GeneratedRegex("^kpi([1-9]|10)-")]
    private static partial Regex YjbKpi();
}
