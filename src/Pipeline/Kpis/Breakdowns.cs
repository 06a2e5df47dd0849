namespace YouthJustice.Pipeline.Kpis;

/// <summary>Child-level KPIs summed overall and per group of each breakdown (ethnicity group, sex, age group).</summary>
public static class Breakdowns
{
    public const string Ethnicity = "ethnicity";
    public const string Sex = "sex";
    public const string AgeGroup = "age-group";

    public static KpiResult Build<T>(string id, IReadOnlyList<KeyValuePair<string, T>> children, Caseload caseload,
        Func<KeyValuePair<string, T>, long> numerator, Func<KeyValuePair<string, T>, long> denominator)
    {
        var groups = new SortedDictionary<string, IReadOnlyList<KpiGroup>>(StringComparer.Ordinal)
        {
            [Ethnicity] = By(children, caseload, c => c.EthnicityGroup, numerator, denominator),
            [Sex] = By(children, caseload, c => c.Sex, numerator, denominator),
            [AgeGroup] = By(children, caseload, c => c.AgeGroup, numerator, denominator),
        };
        return new KpiResult
        {
            Id = id,
            Numerator = children.Sum(numerator),
            Denominator = children.Sum(denominator),
            Breakdowns = groups,
        };
    }

    private static IReadOnlyList<KpiGroup> By<T>(IReadOnlyList<KeyValuePair<string, T>> children, Caseload caseload, Func<CaseloadChild, string> group,
        Func<KeyValuePair<string, T>, long> numerator, Func<KeyValuePair<string, T>, long> denominator) =>
        children.GroupBy(c => group(caseload.Children[c.Key]), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KpiGroup { Group = g.Key, Numerator = g.Sum(numerator), Denominator = g.Sum(denominator) })
            .ToList();
}
