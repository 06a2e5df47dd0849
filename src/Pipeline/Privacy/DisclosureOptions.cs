namespace YouthJustice.Pipeline.Privacy;

/// <summary>
/// Small-number suppression for figures that leave the YOT (configuration section "DisclosureControl";
/// docs/kpis.md §5, ARCHITECTURE.md §5). The default withholds counts from 1 to 4; partners following NHS Digital's rule set
/// <c>Threshold = 7</c> and <c>RoundTo = 5</c>.
/// </summary>
public sealed class DisclosureOptions
{
    public const string SectionName = "DisclosureControl";

    /// <summary>A numerator or denominator from 1 to this is withheld. Zero never is.</summary>
    public int Threshold { get; set; } = 4;

    /// <summary>Published counts rounded to the nearest multiple of this (NHS style: 5); 0 or 1 for no rounding.</summary>
    public int RoundTo { get; set; }

    /// <summary>
    /// KPIs (id, or id prefix followed by "-") whose counts are not counts of people and are never withheld. KPI 8 counts
    /// the statutory sectors sending a senior attendee to the board — public bodies, not children — so hiding "3 of 5"
    /// would protect no one and blank the board's own attendance record.
    /// </summary>
    public List<string> Exempt { get; set; } = ["kpi8-board-attendance"];

    /// <summary>NHS Digital's rule: 1–7 withheld, everything else rounded to 5.</summary>
    public static DisclosureOptions Nhs => new() { Threshold = 7, RoundTo = 5 };

    public bool IsExempt(string kpiId) =>
        Exempt.Any(e => kpiId == e || kpiId.StartsWith(e + "-", StringComparison.Ordinal));

    /// <summary>True for a count that must be withheld: from 1 to the threshold.</summary>
    public bool IsSmall(long count) => count >= 1 && count <= Threshold;

    public long Round(long count) => RoundTo <= 1 ? count : (long)Math.Round((double)count / RoundTo,
        MidpointRounding.AwayFromZero) * RoundTo;
}
