using YouthJustice.Pipeline.Kpis.Data;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// The board's exclusion measures (docs/kpis.md §3): caseload children with a suspension, and with a permanent exclusion,
/// starting in the quarter, of the caseload children of compulsory school age.
/// <list type="bullet">
/// <item>School age (§1 "School age") is judged on the quarter's <b>first</b> day. A child's status only changes on
/// 1 September, so a child of school age on the first day is of school age for part of the quarter at least — and could
/// be suspended in it; judging on the last day would drop, for July–September, the children who left school in July and
/// whose suspensions in July still matter.</item>
/// <item>A child counts once however many events they have (children, not events); a child's events at several
/// schools count together.</item>
/// <item>An event "starts in the quarter" by its <c>start_date</c> only (dates bounding a quarter are inclusive, §1): a
/// suspension that began the day before the quarter and runs into it does not count.</item>
/// <item>The numerator is kept within the denominator: an event of a child above school age (a data error or a
/// sixth-former) is not counted.</item>
/// </list>
/// </summary>
public sealed class ExclusionMeasures : IKpiFamily
{
    public const string Suspended = "ete-suspended";
    public const string PermanentlyExcluded = "ete-permanently-excluded";

    public const string SuspensionCategory = "SUSPENSION";
    public const string PermanentCategory = "PERMANENT";

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.SchoolExclusions);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Suspended, 1203, "Suspended: children of school age with a suspension starting in the quarter") { Sources = From },
        new(PermanentlyExcluded, 1204, "Permanently excluded: children of school age excluded in the quarter") { Sources = From },
    ];

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var quarter = context.Quarter;
        var schoolAge = context.Caseload.Values.Where(o => EpisodeRules.IsSchoolAge(o.Child, quarter.Start)).ToList();
        var inQuarter = context.Data.Exclusions.Where(e => quarter.Contains(e.Start)).ToLookup(e => e.ChildId, StringComparer.Ordinal);

        KpiResult Measure(string id, string category)
        {
            var events = new List<ExclusionRecord>();
            var counts = schoolAge.Select(o =>
            {
                var mine = inQuarter[o.ChildId].Where(e => e.Category == category).ToList();
                events.AddRange(mine);
                return new ChildCount(o.ChildId, mine.Count > 0 ? 1 : 0, 1);
            }).ToList();
            return Breakdowns.Build(id, counts, context.CaseloadProfiles,
                KpiContext.Sources(schoolAge).Concat(events.Select(e => e.DropId)));
        }

        IReadOnlyList<KpiResult> results = [Measure(Suspended, SuspensionCategory), Measure(PermanentlyExcluded, PermanentCategory)];
        return Task.FromResult(results);
    }
}
