namespace YouthJustice.Pipeline.Kpis;

/// <summary>One KPI for one YOT and quarter (the KPI results contract in the README, a contract). Value is a fraction, null when the
/// denominator is 0.</summary>
public sealed record KpiResult
{
    public required string Id { get; init; }
    public long Numerator { get; init; }
    public long Denominator { get; init; }

    /// <summary>1 for a fraction; 10,000, 100,000 or 1,000 for a rate per that many of the population.</summary>
    public double Scale { get; init; } = 1;

    public double? Value => Denominator == 0 ? null : (double)Numerator / Denominator * Scale;

    /// <summary>The headline withheld by disclosure control: no numerator, denominator or value leave with it.</summary>
    public bool Suppressed { get; init; }

    /// <summary>The drops this result was computed from.</summary>
    public IReadOnlyList<string> SourceDrops { get; init; } = [];

    /// <summary>For a rate per population: the estimate used (year, figure, source); null otherwise, or when none was loaded.</summary>
    public PopulationBasis? Population { get; init; }

    /// <summary>
    /// Each child's part in a child-level result, for the analysts' child-level view. Held in memory only: never stored
    /// with the results, never sent where aggregates go.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ChildCount> Children { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<KpiGroup>> Breakdowns { get; init; } =
        new SortedDictionary<string, IReadOnlyList<KpiGroup>>();
}

public sealed record KpiGroup
{
    public required string Group { get; init; }
    public long Numerator { get; init; }
    public long Denominator { get; init; }
    public double? Value => Denominator == 0 ? null : (double)Numerator / Denominator;
    public bool Suppressed { get; init; }
}

/// <summary>All KPI results of one YOT and quarter, with what they were computed from.</summary>
public sealed record KpiSet
{
    public required string Yot { get; init; }
    public required string Period { get; init; }
    public required string PeriodLabel { get; init; }
    public required string EngineVersion { get; init; }
    public IReadOnlyList<string> SourceDrops { get; init; } = [];
    public required IReadOnlyList<KpiResult> Kpis { get; init; }

    /// <summary>The computation's stamp: the quarter's recompute counter it was computed at (see <see
    /// cref="KpiRecomputeMarkers"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Computation { get; init; }
}

public static class KpiIds
{
    public const string SchoolAttendance = "ete-school-attendance";
    public const string PersistentAbsence = "ete-persistent-absence";
    public const string SevereAbsence = "ete-severe-absence";

    /// <summary>The order results are shown in: as the KPI specification lists them.</summary>
    public static int DisplayRank(string id) => KpiCatalogue.DisplayRank(id);
}
