using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>A child's group in each breakdown (docs/kpis.md §1), judged over the child's counted order.</summary>
public sealed record ChildProfile(string ChildId, IReadOnlyDictionary<string, string> Groups);

/// <summary>
/// Builds the breakdown groups of the children of a population: ethnicity group, sex, age group at the order's start,
/// order type, and — for disproportionality monitoring — identified SEND, EHCP, ever suspended or excluded, looked
/// after during the order, out of court vs court.
/// </summary>
public static class ChildProfiles
{
    public const string Ethnicity = "ethnicity";
    public const string Sex = "sex";
    public const string AgeGroup = "age-group";
    public const string OrderType = "order-type";
    public const string Send = "send";
    public const string Ehcp = "ehcp";
    public const string Excluded = "excluded";
    public const string LookedAfter = "looked-after";
    public const string Legal = "out-of-court-vs-court";

    public static IReadOnlyList<string> Dimensions { get; } =
        [Ethnicity, Sex, AgeGroup, OrderType, Send, Ehcp, Excluded, LookedAfter, Legal];

    private static readonly IReadOnlyDictionary<string, string> EthnicityGroups = LoadEthnicityGroups();

    /// <param name="until">The last day an open order is judged on (the quarter's end).</param>
    public static IReadOnlyDictionary<string, ChildProfile> For(IReadOnlyDictionary<string, CountedOrder> orders, YotData data,
        DateOnly until)
    {
        var sendByChild = data.Send.ToLookup(s => s.ChildId, StringComparer.Ordinal);
        var careByChild = data.CareStatus.ToLookup(s => s.ChildId, StringComparer.Ordinal);
        var excluded = data.Exclusions.Where(e => e.Start <= until).Select(e => e.ChildId).ToHashSet(StringComparer.Ordinal);
        var ehcpOnRoll = data.Roll.Where(r => r.SenProvision == "E" && r.AsAt <= until).Select(r => r.ChildId)
            .ToHashSet(StringComparer.Ordinal);

        var profiles = new SortedDictionary<string, ChildProfile>(StringComparer.Ordinal);
        foreach (var (childId, order) in orders)
        {
            var end = order.End ?? until;
            var send = sendByChild[childId].Where(s => s.OpenDuring(order.Start, end)).ToList();
            profiles[childId] = new ChildProfile(childId, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [Ethnicity] = EthnicityGroups.GetValueOrDefault(order.Child.Ethnicity ?? "", "Information not obtainable"),
                [Sex] = order.Child.Sex switch { "1" => "Male", "2" => "Female", _ => "Unknown" },
                [AgeGroup] = order.AgeAtStart <= 14 ? "10-14" : "15-17",
                [OrderType] = order.OrderGroup,
                [Send] = send.Any(s => s.IdentifiedNeed) ? "SEND identified" : "No SEND identified",
                [Ehcp] = send.Any(s => s.PlanType == "EHCP") || ehcpOnRoll.Contains(childId) ? "EHCP" : "No EHCP",
                [Excluded] = excluded.Contains(childId) ? "Suspended or excluded" : "Not suspended or excluded",
                [LookedAfter] = careByChild[childId].Any(c => c.Status == "LOOKED_AFTER" && c.OpenDuring(order.Start, end)) ? "Looked after"
                    : "Not looked after",
                [Legal] = order.IsCourt ? "Court" : "Out of court",
            });
        }
        return profiles;
    }

    private static Dictionary<string, string> LoadEthnicityGroups()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, group) in SchemaCatalogue.ReadEmbedded("codelists/ethnicity.json")["codes"]!.AsObject())
            map[code] = group!.GetValue<string>();
        return map;
    }
}
