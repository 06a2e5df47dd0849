using System.Globalization;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Drops.Reading;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>
/// One YOT area's 10–17 population for one year (an ONS mid-year estimate, or whatever the YOT's source is), with where
/// the figure came from. The denominator of the rates per population: KPI 9 and the national indicators.
/// </summary>
public sealed record AreaPopulation(string Yot, int Year, long Population, string Source);

/// <summary>The estimate a rate was computed with: shown with the KPI, so a reader can tell which figure it used.</summary>
public sealed record PopulationBasis(int Year, long Population, string Source);

/// <summary>
/// A YOT's population estimates by year. A quarter's rates use the previous calendar year's estimate (a 2026 quarter
/// uses mid-2025's, the latest the ONS has published by then); where that year has none, the latest earlier one.
/// </summary>
public sealed class AreaPopulations(IEnumerable<AreaPopulation> estimates)
{
    private readonly SortedDictionary<int, AreaPopulation> _byYear = new(estimates.ToDictionary(e => e.Year));

    public static AreaPopulations None { get; } = new([]);

    public IReadOnlyCollection<AreaPopulation> All => _byYear.Values;

    /// <summary>The estimate for a quarter's rates, or null when none is loaded (the rate is then missing, never zero).</summary>
    public PopulationBasis? For(Quarter quarter) =>
        _byYear.Values.Where(e => e.Year < quarter.Year && e.Population > 0).MaxBy(e => e.Year) is { } e
            ? new PopulationBasis(e.Year, e.Population, e.Source) : null;
}

/// <summary>A population file that cannot be loaded: every problem with its line, nothing stored.</summary>
public sealed class InvalidPopulationFileException(IReadOnlyList<string> problems)
    : Exception(
        $"The population file was not loaded: " +
        $"{string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? $"; and {problems.Count - 20} more" : "")}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The YOT areas' 10–17 populations as data: table <c>Population</c> (PartitionKey the YOT, RowKey the year; the
/// figure, its source and when it was loaded). Loaded from a CSV file (<see cref="ParseAsync"/>) by
/// <c>pipeline population load</c>; a new or changed figure asks for the YOT's stored quarters that use it to be
/// recomputed (a <c>kpi-recompute</c> message each), so stored results never keep an old denominator.
/// </summary>
public sealed class AreaPopulationStore(PipelineStorage storage, KpiStore results, KpiRecomputeMarkers markers, Audit.AuditLog audit,
    TimeProvider clock)
{
    public const string Header = "yot,year,population,source";

    private readonly TableClient _table = storage.Table(StorageNames.PopulationTable);

    public Task<AreaPopulations> ReadAsync(string yot, CancellationToken cancellationToken) =>
        KpiEngine.PopulationsAsync(storage, yot, cancellationToken);

    /// <summary>
    /// Reads a population file: a header <c>yot,year,population,source</c> (any order, any case) and one row per YOT and
    /// year. Every row is checked before anything is stored; a file with any problem is refused whole, each problem
    /// named with its line.
    /// </summary>
    public static async Task<IReadOnlyList<AreaPopulation>> ParseAsync(Stream content, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var rows = new List<AreaPopulation>();
        try
        {
            using var reader = await CsvDropReader.OpenAsync(content, cancellationToken);
            var headers = reader.Headers;
            int Column(string name)
            {
                for (var i = 0; i < headers.Count; i++)
                    if (headers[i].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) return i;
                return -1;
            }
            var (yot, year, population, source) = (Column("yot"), Column("year"), Column("population"), Column("source"));
            var missing = new[] { ("yot", yot), ("year", year), ("population", population), ("source", source) }.Where(c => c.Item2 < 0)
                .Select(c => c.Item1).ToList();
            if (missing.Count > 0) throw new InvalidPopulationFileException(
                [$"line 1: the header has no {string.Join(", ", missing)} column (expected {Header})"]);

            // YOT ids are matched ignoring case (as everywhere a person types one), so "My-YOT" and "my-yot" are one YOT.
            var seen = new Dictionary<(string, int), int>();
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsBlank()) continue;
                var line = reader.Line;
                if (reader.FieldCount != headers.Count)
                {
                    problems.Add(
                        $"line {line}: the row has {reader.FieldCount} cells but the header has {headers.Count} (put a source that holds " +
                        $"a comma in double quotes)");
                    continue;
                }
                var y = reader.String(yot).Trim();
                var s = reader.String(source).Trim();
                var rowProblems = new List<string>();
                if (y.Length == 0) rowProblems.Add("yot is empty");
                if (!int.TryParse(reader.Span(year).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var yr)
                    || yr is < 1990 or > 2100)
                    rowProblems.Add("year is not a year (e.g. 2025, the mid-year estimate's year)");
                if (!long.TryParse(reader.Span(population).Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var count)
                    || count <= 0)
                    rowProblems.Add("population is not a whole number above 0");
                if (s.Length == 0) rowProblems.Add(
                    "source is empty (say where the figure comes from, e.g. ONS mid-2025 population estimates)");
                if (rowProblems.Count == 0 && seen.TryGetValue((y.ToUpperInvariant(), yr), out var first))
                    rowProblems.Add($"{y} {yr} is already given on line {first}");
                if (rowProblems.Count > 0)
                {
                    problems.AddRange(rowProblems.Select(p => $"line {line}: {p}"));
                    continue;
                }
                seen[(y.ToUpperInvariant(), yr)] = line;
                rows.Add(new AreaPopulation(y, yr, count, s));
            }
        }
        catch (DropFormatException ex)
        {
            problems.Add($"line {ex.Line?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {ex.Message}");
        }
        if (problems.Count == 0 && rows.Count == 0) problems.Add("the file has no rows under its header");
        if (problems.Count > 0) throw new InvalidPopulationFileException(problems);
        return rows;
    }

    /// <summary>
    /// Stores the estimates (the same figure loaded again changes nothing) and asks for every stored quarter of each YOT
    /// whose rates now use a different figure to be recomputed. Returns those quarters.
    /// </summary>
    public async Task<IReadOnlyList<KpiRecomputeRequest>> LoadAsync(IReadOnlyList<AreaPopulation> estimates, string actor,
        CancellationToken cancellationToken)
    {
        var requests = new List<KpiRecomputeRequest>();
        foreach (var byYot in estimates.GroupBy(e => e.Yot, StringComparer.Ordinal))
        {
            var before = await ReadAsync(byYot.Key, cancellationToken);
            var changed = byYot.Where(e => !before.All.Contains(e)).ToList();
            if (changed.Count == 0) continue;
            foreach (var e in changed)
                await _table.UpsertEntityAsync(new TableEntity(e.Yot, e.Year.ToString(CultureInfo.InvariantCulture))
                {
                    ["Population"] = e.Population, ["Source"] = e.Source, ["LoadedAt"] = clock.GetUtcNow(),
                }, TableUpdateMode.Replace, cancellationToken);
            var after = await ReadAsync(byYot.Key, cancellationToken);

            foreach (var period in await results.PeriodsAsync(byYot.Key, cancellationToken))
                if (before.For(period) != after.For(period)) requests.Add(new KpiRecomputeRequest(byYot.Key, period.ToString()));

            // Figures, years and sources are not personal; one row per distinct load of a YOT's figures.
            var detail = string.Join("; ", changed.OrderBy(e => e.Year)
                .Select(e => FormattableString.Invariant($"{e.Year}: {e.Population} ({e.Source})")));
            await audit.AppendAsync(new Audit.AuditEntry($"population-{byYot.Key}",
                "load-" + Convert.ToHexStringLower(
                    System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(detail)))[..16],
                actor, $"loaded {changed.Count} 10-17 population estimate(s)", null, changed.Count, clock.GetUtcNow(), detail),
                    cancellationToken);
        }

        // Through the recompute markers, like a drop: the quarters stay dirty until a recompute has stored the new rates.
        foreach (var byYot in requests.GroupBy(r => r.Yot, StringComparer.Ordinal))
            await markers.RequestAsync(byYot.Key, byYot.Select(r => r.Period), cancellationToken);
        return requests;
    }
}
