using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>A child of the caseload, with the characteristics every breakdown uses.</summary>
public sealed record CaseloadChild(string ChildId, string EthnicityGroup, string Sex, string AgeGroup);

/// <summary>
/// The YOT's caseload in a quarter (kpis.md §3): children with a counted intervention open on any day of it.
/// Counted = not PREVENTION, not changed on appeal, the child a local resident and aged 10–17 at the start.
/// The YOT's case data is cumulative: for each child and intervention, the latest drop's row wins.
/// </summary>
public sealed class Caseload
{
    private static readonly IReadOnlyDictionary<string, string> EthnicityGroups = LoadEthnicityGroups();

    private Caseload(IReadOnlyDictionary<string, CaseloadChild> children, IReadOnlyList<string> sourceDrops)
    {
        Children = children;
        SourceDrops = sourceDrops;
    }

    public IReadOnlyDictionary<string, CaseloadChild> Children { get; }
    public IReadOnlyList<string> SourceDrops { get; }

    public static async Task<Caseload> LoadAsync(PipelineStorage storage, string yot, Quarter quarter, CancellationToken cancellationToken)
    {
        var curated = storage.Container(StorageNames.CuratedContainer);
        var children = await CuratedTable.ReadAsync(curated, CuratedLayout.DropTypePrefix("yot-children", yot),
            [CuratedLayout.DropId, CuratedLayout.ReceivedAt, CuratedLayout.Line, CuratedLayout.ChildId, "sex", "ethnicity", CuratedLayout.BirthMonth, "local_resident"], cancellationToken);
        var interventions = await CuratedTable.ReadAsync(curated, CuratedLayout.DropTypePrefix("yot-interventions", yot),
            [CuratedLayout.DropId, CuratedLayout.ReceivedAt, CuratedLayout.Line, CuratedLayout.ChildId, "intervention_id", "disposal_type", "start_date", "end_date", "changed_on_appeal"], cancellationToken);

        var latestChild = Latest(children, r => children.Text(CuratedLayout.ChildId, r)!);
        var latestIntervention = Latest(interventions, r => interventions.Text(CuratedLayout.ChildId, r) + "|" + interventions.Text("intervention_id", r));
        var sources = new SortedSet<string>(StringComparer.Ordinal);

        // Per child, the counted intervention open in the quarter that started last gives the age group.
        var openByChild = new Dictionary<string, (DateOnly Start, int Row)>(StringComparer.Ordinal);
        foreach (var r in latestIntervention.Values)
        {
            var childId = interventions.Text(CuratedLayout.ChildId, r)!;
            if (!latestChild.TryGetValue(childId, out var c)) continue;
            if (interventions.Text("disposal_type", r) == "PREVENTION") continue;
            if (interventions.Flag("changed_on_appeal", r) == true) continue;
            if (children.Flag("local_resident", c) != true) continue;
            var start = interventions.Date("start_date", r)!.Value;
            var end = interventions.Date("end_date", r);
            if (start > quarter.End || (end is { } e && e < quarter.Start)) continue;
            if (children.Text(CuratedLayout.BirthMonth, c) is not { } birthMonth) continue;
            var ageAtStart = Generalise.AgeOn(birthMonth, start);
            if (ageAtStart is < 10 or > 17) continue;
            if (!openByChild.TryGetValue(childId, out var current) || start > current.Start) openByChild[childId] = (start, r);
        }

        var caseload = new SortedDictionary<string, CaseloadChild>(StringComparer.Ordinal);
        foreach (var (childId, (start, r)) in openByChild)
        {
            var c = latestChild[childId];
            sources.Add(children.Text(CuratedLayout.DropId, c)!);
            sources.Add(interventions.Text(CuratedLayout.DropId, r)!);
            var age = Generalise.AgeOn(children.Text(CuratedLayout.BirthMonth, c)!, start);
            caseload[childId] = new CaseloadChild(childId,
                EthnicityGroups.GetValueOrDefault(children.Text("ethnicity", c) ?? "", "Information not obtainable"),
                children.Text("sex", c) switch { "1" => "Male", "2" => "Female", _ => "Unknown" },
                age <= 14 ? "10-14" : "15-17");
        }
        return new Caseload(caseload, sources.ToList());
    }

    /// <summary>For each key, the row of the latest drop (by arrival, then drop id).</summary>
    private static Dictionary<string, int> Latest(CuratedTable table, Func<int, string> key)
    {
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in Enumerable.Range(0, table.RowCount))
        {
            var k = key(r);
            if (!latest.TryGetValue(k, out var best) || IsLater(table, r, best)) latest[k] = r;
        }
        return latest;
    }

    private static bool IsLater(CuratedTable t, int a, int b)
    {
        var c = string.CompareOrdinal(t.Text(CuratedLayout.ReceivedAt, a), t.Text(CuratedLayout.ReceivedAt, b));
        if (c != 0) return c > 0;
        c = string.CompareOrdinal(t.Text(CuratedLayout.DropId, a), t.Text(CuratedLayout.DropId, b));
        return c > 0 || (c == 0 && t.Integer(CuratedLayout.Line, a) > t.Integer(CuratedLayout.Line, b));
    }

    private static Dictionary<string, string> LoadEthnicityGroups()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, group) in SchemaCatalogue.ReadEmbedded("codelists/ethnicity.json")["codes"]!.AsObject())
            map[code] = group!.GetValue<string>();
        return map;
    }
}
