namespace YouthJustice.Pipeline.Kpis;

/// <summary>Every KPI family of the library and their definitions, found once by reflection.</summary>
public static class KpiCatalogue
{
    public static IReadOnlyList<IKpiFamily> Families { get; } = typeof(IKpiFamily).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IKpiFamily).IsAssignableFrom(t)
            && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IKpiFamily)Activator.CreateInstance(t)!)
        .OrderBy(f => f.Definitions.Min(d => d.Rank))
        .ToList();

    public static IReadOnlyDictionary<string, KpiDefinition> Definitions { get; } =
        Families.SelectMany(f => f.Definitions).ToDictionary(d => d.Id, StringComparer.Ordinal);

    public static int DisplayRank(string id) => Definitions.TryGetValue(id, out var d) ? d.Rank : int.MaxValue;

    public static bool IsHeadline(string id) => !Definitions.TryGetValue(id, out var d) || d.Headline;

    public static string Title(string id) => Definitions.TryGetValue(id, out var d) ? d.Title : id;

    /// <summary>What a KPI's figures count; children where its definition says nothing else (or it is not known).</summary>
    public static KpiUnits Units(string id) => Definitions.TryGetValue(id, out var d) && d.Units is { } units ? units : KpiUnits.Children;
}
