using System.Text.Json.Serialization;

namespace YouthJustice.Pipeline.Submissions;

/// <summary>
/// One YOT's quarterly return to the YJB (schemas/kpi-return.schema.json): the ten KPIs laid out as the YJB summary
/// template lays them out — a row per measure (headline and sub-measures, with their start/end split), a column per
/// order-type group plus the total — after disclosure control. Every property is always written (null where there is
/// nothing), so the schema can require them all.
/// </summary>
public sealed record KpiReturn
{
    /// <summary>1.1: every row says what its figures count (<see cref="ReturnRow.Unit"/>), and hours are in hours.</summary>
    public const string CurrentSchemaVersion = "1.1";

    public required string SchemaVersion { get; init; }
    public required string Yot { get; init; }
    public required string Period { get; init; }
    public required string PeriodLabel { get; init; }
    public required int Version { get; init; }

    /// <summary>SHA-256 over what the return means (rows, cells and their states); never over times, versions or run ids.</summary>
    public required string ContentHash { get; init; }

    public required DateTimeOffset BuiltAt { get; init; }
    public required string EngineVersion { get; init; }
    public required ReturnDisclosure Disclosure { get; init; }

    /// <summary>The column heads: <see cref="ReturnLayout.Total"/> first, then the order-type groups as the template heads them.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    public required IReadOnlyList<ReturnRow> Rows { get; init; }

    /// <summary>The drops the figures were computed from (content hashes, no row content).</summary>
    public required IReadOnlyList<string> SourceDrops { get; init; }
}

/// <summary>The suppression rule the return was released under (docs/kpis.md §5).</summary>
public sealed record ReturnDisclosure
{
    public required int Threshold { get; init; }
    public required int RoundTo { get; init; }
}

/// <summary>
/// One row: a measure (a KPI definition) or, where the measure is broken down by something of its own (accommodation
/// type, provision type, sector, offence category…), one group of it.
/// </summary>
public sealed record ReturnRow
{
    /// <summary>Stable id of the row: the measure id, or <c>{measure}/{breakdown}={group}</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The YJB KPI the row belongs to (kpi1-accommodation … kpi10-victims).</summary>
    public required string Kpi { get; init; }

    /// <summary>The KPI definition's id (docs/kpis.md §2, a contract).</summary>
    public required string Measure { get; init; }

    public required string Title { get; init; }

    /// <summary><c>start</c>, <c>end</c> or <c>during</c> the order, where the measure is judged at a time point; else null.</summary>
    public required string? Split { get; init; }

    public required string? Breakdown { get; init; }
    public required string? Group { get; init; }

    /// <summary>1 for a fraction; 10,000 etc. for a rate per that many of the population.</summary>
    public required double Scale { get; init; }

    /// <summary>What the numerator and denominator count and what the value is ("fraction", "per 10,000 children aged 10-17 in the
    /// area").</summary>
    public required ReturnUnit Unit { get; init; }

    /// <summary>One cell per column, in <see cref="KpiReturn.Columns"/> order.</summary>
    public required IReadOnlyList<ReturnCell> Cells { get; init; }
}

/// <summary>
/// One cell. Withheld, missing, not applicable and zero are four different things: a withheld or
/// missing cell carries no numbers at all; zero is a published cell whose numerator is 0.
/// </summary>
public sealed record ReturnCell
{
    public required string Column { get; init; }
    public required string State { get; init; }
    /// <summary>In the row's <see cref="ReturnRow.Unit"/>: children, offences, hours (which may have a fraction).</summary>
    public required double? Numerator { get; init; }
    public required double? Denominator { get; init; }

    /// <summary>Numerator ÷ denominator × scale; null when the denominator is 0 (shown as <c>x</c>) or the cell carries no
    /// numbers.</summary>
    public required double? Value { get; init; }
}

/// <summary>A row's units (see <see cref="Kpis.KpiUnits"/>).</summary>
public sealed record ReturnUnit
{
    public required string Numerator { get; init; }
    public required string Denominator { get; init; }
    public required string Value { get; init; }

    public static ReturnUnit Of(Kpis.KpiUnits units, double scale) =>
        new() { Numerator = units.Numerator, Denominator = units.Denominator, Value = units.Value(scale) };
}

/// <summary>The states of a cell and the government statistical symbols the CSV shows them with.</summary>
public static class CellStates
{
    /// <summary>Figures published.</summary>
    public const string Published = "published";

    /// <summary>Withheld by disclosure control: <c>c</c>.</summary>
    public const string Withheld = "withheld";

    /// <summary>Not available (no result for the measure): <c>x</c>.</summary>
    public const string Missing = "missing";

    /// <summary>The measure has no such column (no order-type breakdown): <c>z</c>.</summary>
    public const string NotApplicable = "not-applicable";

    public static IReadOnlyList<string> All { get; } = [Published, Withheld, Missing, NotApplicable];

    public static string Symbol(string state) => state switch
    {
        Withheld => "c",
        Missing => "x",
        NotApplicable => "z",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "A published cell has figures, not a symbol."),
    };
}

/// <summary>What a build of one return did.</summary>
public sealed record SubmissionOutcome
{
    public required string Yot { get; init; }
    public required string Period { get; init; }
    public required int Version { get; init; }

    /// <summary><see cref="SubmissionStates.Built"/> (a new version was written) or <see cref="SubmissionStates.Unchanged"/>.</summary>
    public required string State { get; init; }

    public required string ContentHash { get; init; }

    /// <summary>The version this one replaced, if any.</summary>
    public int? Supersedes { get; init; }

    /// <summary>Ids of the cells (<c>{row id}/{column}</c>) whose state or figures differ from the previous version. Never
    /// values.</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>The source drops that were not behind the previous version: why it changed.</summary>
    public IReadOnlyList<string> NewDrops { get; init; } = [];

    public required IReadOnlyList<string> Blobs { get; init; }

    [JsonIgnore]
    public bool IsNew => State == SubmissionStates.Built;
}

public static class SubmissionStates
{
    /// <summary>The version was built and is the current one.</summary>
    public const string Built = "built";

    /// <summary>A later version replaced it.</summary>
    public const string Superseded = "superseded";

    /// <summary>A run found the inputs' meaning unchanged and wrote no new version.</summary>
    public const string Unchanged = "unchanged";
}
