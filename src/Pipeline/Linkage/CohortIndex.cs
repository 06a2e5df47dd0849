using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Linkage;

/// <summary>
/// A YOT's cohort, built from its committed curated <c>yot-children</c> data: which child each pupil, learner and name +
/// date-of-birth key belongs to, plus the values other drops reference (intervention ids). Later drops win, so a
/// corrected UPN replaces the old one.
/// </summary>
public sealed class CohortIndex : ICohort
{
    public const string ChildrenDropType = "yot-children";
    public const string PupilId = "pupil_id";
    public const string LearnerId = "learner_id";
    public const string PersonKeyColumn = CuratedLayout.PersonKey;

    private readonly HashSet<string> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _childByPupil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _childByLearner = new(StringComparer.Ordinal);
    // Null marks a key two children share (twins with the same initial): such a key links nobody.
    private readonly Dictionary<string, string?> _childByPerson = new(StringComparer.Ordinal);
    private readonly Dictionary<(string DropType, string Field), HashSet<string>> _references = [];

    public static CohortIndex Empty { get; } = new();

    /// <summary>The rows of the YOT's children the index depends on (see <see cref="LoadAsync"/>); choosing again from them changes
    /// nothing.</summary>
    private static IEnumerable<CuratedRows.Row> ForLinkage(CuratedRows rows)
    {
        var kept = new SortedSet<int>();
        foreach (var key in new Func<CuratedRows.Row, string?>[] { r => r.Child, r => r.Text(PupilId), r => r.Text(LearnerId) })
            foreach (var row in rows.LatestBy(r => key(r) ?? ""))
                if (key(row) is not null) kept.Add(row.Index);
        var children = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var row in rows.LatestBy(r => $"{r.Text(PersonKeyColumn)}|{r.Child}"))
            if (row.Text(PersonKeyColumn) is { } person && (children.TryGetValue(person, out var seen) ? seen
                : children[person] = new(StringComparer.Ordinal)) is { Count: < 2 } few
                && few.Add(row.Child))
                kept.Add(row.Index);
        return kept.Select(rows.At);
    }

    public int Children => _children.Count;

    public string? ChildOfPupil(string pupilId) => _childByPupil.GetValueOrDefault(pupilId);
    public string? ChildOfLearner(string learnerId) => _childByLearner.GetValueOrDefault(learnerId);
    public string? ChildOfPerson(string personKey) => _childByPerson.GetValueOrDefault(personKey);
    public bool KnowsChild(string childId) => _children.Contains(childId);

    public bool Knows(string dropType, string field, string value) =>
        _references.TryGetValue((dropType, field), out var values) && values.Contains(value);

    /// <summary>
    /// Loads the children of <paramref name="yot"/> and the values <paramref name="schema"/> references, from current
    /// views (<see cref="CurrentView"/>) rather than every extract the YOT has sent, so a drop's linkage costs the same
    /// in month 36 as in month 1. The views keep every row the index depends on, so the index is the one every extract
    /// gives: each child's latest row, each pupil's, learner's latest row, and for each name + date-of-birth key the
    /// rows of up to two of its children (two are enough to know it is shared).
    /// </summary>
    public static async Task<CohortIndex> LoadAsync(PipelineStorage storage, string yot, DropSchema schema,
        CancellationToken cancellationToken) =>
        await LoadAsync(storage, yot, schema, await CommittedCurated.LoadAsync(storage, yot, cancellationToken), cancellationToken);

    /// <summary>The index from <paramref name="committed"/>, the YOT's committed drops as the ledger lists them.</summary>
    public static async Task<CohortIndex> LoadAsync(PipelineStorage storage, string yot, DropSchema schema, CommittedCurated committed,
        CancellationToken cancellationToken)
    {
        var index = new CohortIndex();
        var rows = await CurrentView.ReadAsync(storage, yot, ChildrenDropType, committed.Of(ChildrenDropType),
            [PupilId, LearnerId, PersonKeyColumn],
            ForLinkage, cancellationToken, purpose: "linkage");
        var table = rows.Table;
        var order = Enumerable.Range(0, table.RowCount)
            .OrderBy(r => table.Text(CuratedLayout.ReceivedAt, r), StringComparer.Ordinal)
            .ThenBy(r => table.Text(CuratedLayout.DropId, r), StringComparer.Ordinal)
            .ThenBy(r => table.Integer(CuratedLayout.Line, r));
        foreach (var r in order)
        {
            if (table.Text(CuratedLayout.ChildId, r) is not { } child) continue;
            index._children.Add(child);
            if (table.Text(PupilId, r) is { } pupil) index._childByPupil[pupil] = child;
            if (table.Text(LearnerId, r) is { } learner) index._childByLearner[learner] = child;
            if (table.Text(PersonKeyColumn, r) is { } person)
                index._childByPerson[person] = index._childByPerson.TryGetValue(person, out var other) && other != child ? null : child;
        }

        foreach (var reference in schema.References)
        {
            // The KPI engine's view of the referenced type keeps every identity ever sent, so every value of its fields.
            var referenced = YotData.Columns.TryGetValue(reference.DropType, out var columns) && columns.Contains(reference.Field)
                ? (await YotData.CurrentAsync(storage, yot, committed, reference.DropType, cancellationToken)).Table
                : await CuratedTable.ReadAsync(storage.Container(StorageNames.CuratedContainer), committed.Of(reference.DropType),
                    [reference.Field], cancellationToken);
            var values = new HashSet<string>(StringComparer.Ordinal);
            for (var r = 0; r < referenced.RowCount; r++)
                if (referenced.Text(reference.Field, r) is { } v) values.Add(v);
            index._references[(reference.DropType, reference.Field)] = values;
        }
        return index;
    }
}
