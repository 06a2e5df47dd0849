using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Linkage;

/// <summary>
/// A YOT's cohort, built from its curated <c>yot-children</c> data: which child each pupil pseudonym belongs
/// to. Later drops win, so a corrected UPN replaces the old one.
/// </summary>
public sealed class CohortIndex : ICohort
{
    public const string ChildrenDropType = "yot-children";
    private readonly Dictionary<string, string> _childByPupil;

    private CohortIndex(Dictionary<string, string> childByPupil) => _childByPupil = childByPupil;

    public static CohortIndex Empty { get; } = new([]);

    public int Pupils => _childByPupil.Count;

    public string? ChildOfPupil(string pupilId) => _childByPupil.GetValueOrDefault(pupilId);

    public static async Task<CohortIndex> LoadAsync(PipelineStorage storage, string yot, CancellationToken cancellationToken)
    {
        var table = await CuratedTable.ReadAsync(storage.Container(StorageNames.CuratedContainer),
            CuratedLayout.DropTypePrefix(ChildrenDropType, yot),
            [CuratedLayout.ReceivedAt, CuratedLayout.DropId, CuratedLayout.ChildId, "pupil_id"], cancellationToken);
        var order = Enumerable.Range(0, table.RowCount)
            .OrderBy(r => table.Text(CuratedLayout.ReceivedAt, r), StringComparer.Ordinal)
            .ThenBy(r => table.Text(CuratedLayout.DropId, r), StringComparer.Ordinal);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in order)
            if (table.Text("pupil_id", r) is { } pupil && table.Text(CuratedLayout.ChildId, r) is { } child)
                map[pupil] = child;
        return new CohortIndex(map);
    }
}
