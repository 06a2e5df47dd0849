using YouthJustice.Pipeline.Kpis.Data;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// The docs/kpis.md §1 rules that KPIs 1–3 and the NEET measure share: which dated records are open at a time point, the
/// all-records-suitable rule, compulsory school age, and the partition of children by the types of their open records.
/// </summary>
internal static class EpisodeRules
{
    public const string Suitable = "SUITABLE";
    public const string NoRecord = "No record";

    /// <summary>The child's records open on a day (§1: start ≤ day and end empty or ≥ day), in a fixed order.</summary>
    public static IReadOnlyList<T> OpenOn<T>(ILookup<string, T> byChild, string childId, DateOnly day) where T : Episode =>
        [.. byChild[childId].Where(r => r.OpenOn(day)).OrderBy(r => r.Start).ThenBy(r => r.DropId, StringComparer.Ordinal)];

    /// <summary>
    /// §1: where several records are open at a time point, all must be suitable; no record counts as not suitable
    /// (and UNKNOWN, being not SUITABLE, fails <paramref name="isSuitable"/>).
    /// </summary>
    public static bool AllSuitable<T>(IReadOnlyList<T> open, Func<T, bool> isSuitable) => open.Count > 0 && open.All(isSuitable);

    /// <summary>
    /// §1 "School age": under 16 on the 31 August before the date. "Before" is read as strictly before, so a school
    /// year runs 1 September – 31 August and a child keeps one status for the whole of it: a child whose 16th
    /// birthday is on 31 August is 16 on that day, so above school age from 1 September; one born on 1 September a
    /// year of school later.
    /// </summary>
    public static bool IsSchoolAge(ChildRecord child, DateOnly day) =>
        child.AgeOn(new DateOnly(day.Month > 8 ? day.Year : day.Year - 1, 8, 31)) < 16;

    /// <summary>
    /// A child's group in a "by type" breakdown: the type of the records open at the time point; "Several types" where
    /// open records differ in type (so the groups still partition the children); <see cref="NoRecord"/> where none is open.
    /// </summary>
    public static string TypeGroup(IEnumerable<string> openTypes)
    {
        var types = openTypes.Distinct(StringComparer.Ordinal).ToList();
        return types.Count switch { 0 => NoRecord, 1 => types[0], _ => "Several types" };
    }

    /// <summary>The profiles with one more breakdown dimension (e.g. accommodation type at end) added per child.</summary>
    public static IReadOnlyDictionary<string, ChildProfile> WithDimension(IReadOnlyDictionary<string, ChildProfile> profiles,
        string dimension,
        IReadOnlyDictionary<string, string> groupByChild)
    {
        var extended = new SortedDictionary<string, ChildProfile>(StringComparer.Ordinal);
        foreach (var (childId, profile) in profiles)
        {
            var groups = new Dictionary<string, string>(profile.Groups,
                StringComparer.Ordinal) { [dimension] = groupByChild.GetValueOrDefault(childId, NoRecord) };
            extended[childId] = profile with { Groups = groups };
        }
        return extended;
    }

    public static IReadOnlyList<string> DimensionsPlus(string dimension) => [.. ChildProfiles.Dimensions, dimension];
}
