using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>One synthetic drop written to disk: who sends it, its drop type, where the CSV is and how many data rows it has.</summary>
public sealed record DemoDrop(string Provider, string DropType, string Path, int Rows);

/// <summary>
/// Synthetic data for a demo YOT, its management board, four schools and a college: every drop type. The YOT's case
/// data covers 2024-Q3..2026-Q2 (about 570 children), the schools' session marks 2026-Q1 and 2026-Q2 (their
/// exclusions two academic years, their rolls a snapshot per quarter), the college's enrolments 2024/25 and 2025/26.
/// Everything is made up but shaped like the real thing (valid UPN check letters and ULN check digits, DfE and ILR
/// codes, term dates, absence patterns), with a few deliberately bad rows per drop so receipts have line-precise
/// errors to show. The same seed always gives byte-identical files; no date depends on today.
/// </summary>
public static class DemoData
{
    public const string Yot = "demo-yot";
    public static readonly Quarter Period = new(2026, 2);

    public static IReadOnlyList<Agreement> Agreements() => DemoAgreements.All();

    /// <summary>
    /// The demo YOT's 10–17 population (made up, in the style of ONS mid-year estimates), loaded as a real YOT's would
    /// be with <c>pipeline population load</c>. A rate uses the previous year's estimate: 2026 quarters use 2025's.
    /// </summary>
    public const string PopulationCsv = "yot,year,population,source\n" +
        "demo-yot,2024,21100,Made up for the demo in the style of ONS mid-2024 population estimates\n" +
        "demo-yot,2025,21400,Made up for the demo in the style of ONS mid-2025 population estimates\n";

    /// <summary>
    /// Writes the drops under <c>{directory}/{provider}/</c> and returns them in the order to ingest them: yot-children
    /// first (it defines the cohort), the YOT's other drops, the board's, the schools', the college's.
    /// </summary>
    public static IReadOnlyList<DemoDrop> Write(string directory, int seed = 2026) => Generate(directory, seed).Drops;

    /// <summary>The children built by hand to carry the KPI rules' edge cases, by case reference.</summary>
    public static IReadOnlyList<(string CaseRef, string Note)> EdgeCases(int seed = 2026) =>
        DemoCohort.Generate(seed, new DemoIdentity()).EdgeCases;

    private static (IReadOnlyList<DemoDrop> Drops, DemoCohort Cohort) Generate(string directory, int seed)
    {
        var ids = new DemoIdentity();
        var cohort = DemoCohort.Generate(seed, ids);
        var drops = new List<DemoDrop>();
        drops.AddRange(DemoYot.Write(directory, cohort, new DemoRandom(seed + 1)));
        drops.Add(DemoBoard.Write(directory, seed + 2));
        drops.AddRange(DemoSchools.Write(directory, cohort, seed + 3, ids));
        drops.AddRange(DemoCollege.Write(directory, cohort, seed + 4, ids));
        return (drops, cohort);
    }
}
