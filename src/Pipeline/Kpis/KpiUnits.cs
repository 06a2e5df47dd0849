using System.Globalization;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>How a KPI's value reads: a fraction of its denominator, a rate per so many of a population, or a ratio.</summary>
public enum ValueKind
{
    /// <summary>Numerator ÷ denominator, 0 to 1 (shown as a percentage).</summary>
    Fraction,

    /// <summary>Numerator ÷ denominator × scale: "per 10,000 children aged 10-17".</summary>
    Rate,

    /// <summary>Numerator ÷ denominator, unbounded: "reoffences per child".</summary>
    Ratio,
}

/// <summary>
/// What a KPI's figures count, so that no output leaves a reader to guess: the numerator's and denominator's units, and
/// what the value is. Every output (the CLI, JSON, Parquet and the results table, the board pack, the YJB return, the
/// API) states them from here.
/// <para>
/// <see cref="CountedPer"/>: results carry whole numbers, so hours are counted in minutes (a half or quarter hour
/// stays exact) and every output divides by 60: the figures leave in hours.
/// </para>
/// </summary>
public sealed record KpiUnits(string Numerator, string Denominator, ValueKind Kind = ValueKind.Fraction, int CountedPer = 1,
    string? Per = null)
{
    public static KpiUnits Children { get; } = new("children", "children");
    public static KpiUnits Hours { get; } = new("hours", "hours", CountedPer: 60) { Clustered = true };

    /// <summary>Sessions (half days) of the same pupils: <paramref name="numerator"/> ÷ possible sessions.</summary>
    public static KpiUnits Sessions(string numerator) => new(numerator, "possible sessions") { Clustered = true };

    /// <summary>
    /// The counted units come in clusters, each child's moving together (a pupil's sessions, a learner's hours), so a
    /// significance test that assumes independent units does not apply to them: the board pack gives such a measure's
    /// groups a relative rate index but no test.
    /// </summary>
    public bool Clustered { get; init; }

    /// <summary>The 10–17 population of the YOT's area, the denominator of the rates per population.</summary>
    public const string Population = "children aged 10-17 in the area";

    /// <summary>A rate per so many of the area's 10–17 population (the definition's scale), counting <paramref
    /// name="numerator"/>.</summary>
    public static KpiUnits RatePerPopulation(string numerator) => new(numerator, Population, ValueKind.Rate);

    /// <summary>What the value is, in words: "fraction", "per 10,000 children aged 10-17 in the area", "reoffences per child".</summary>
    public string Value(double scale) => Kind switch
    {
        ValueKind.Rate => $"per {scale.ToString("N0", CultureInfo.InvariantCulture)} {Denominator}",
        ValueKind.Ratio => $"{Numerator} per {Per ?? Denominator}",
        _ => "fraction",
    };

    /// <summary>A counted figure in the unit it is shown in (hours from minutes).</summary>
    public double Shown(long counted) => CountedPer == 1 ? counted : (double)counted / CountedPer;

    /// <summary>A shown figure back to what is counted (minutes from hours), for results read back from storage.</summary>
    public long Counted(double shown) => CountedPer == 1 ? (long)Math.Round(shown)
        : (long)Math.Round(shown * CountedPer, MidpointRounding.AwayFromZero);

    /// <summary>A counted figure for people: whole numbers with thousands separators; hours to the hundredth where not whole.</summary>
    public string Format(long counted) => CountedPer == 1
        ? counted.ToString("N0", CultureInfo.InvariantCulture)
        : Shown(counted).ToString("#,##0.##", CultureInfo.InvariantCulture);
}
