using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Linkage;

/// <summary>How a row reached (or did not reach) a child.</summary>
public enum LinkResult
{
    /// <summary>A row about no child (board attendance).</summary>
    NoChild,
    /// <summary>The YOT's own row, linked by its case reference.</summary>
    CaseRef,
    /// <summary>The YOT's own row whose child or referenced record it has not sent yet: kept, linked when that arrives.</summary>
    Held,
    Uln,
    Upn,
    NameAndDateOfBirth,
    /// <summary>A school or college row of a pupil the YOT does not know: counted and discarded.</summary>
    OutOfCohort,
}

/// <summary>
/// Links one drop's rows to the YOT's children by pseudonyms (schemas/README.md, <c>x-linkage</c>). Education rows try
/// the ULN, then the UPN, then the name + date-of-birth key; the fallback's answer is remembered per pupil or learner,
/// because a school sends the same pupil on hundreds of rows.
/// </summary>
public sealed class RowLinker
{
    private readonly string _linkage;
    private readonly bool _definesCohort;
    private readonly int _child = -1;
    private readonly int _pupil = -1;
    private readonly int _learner = -1;
    private readonly bool _byPerson;
    private readonly (int Field, string DropType, string Name)[] _references = [];
    private readonly Dictionary<string, string?> _personFallback = new(StringComparer.Ordinal);
    private string? _lastLearner;
    private string? _lastPupil;
    private (string? ChildId, LinkResult Result) _lastLink;

    private RowLinker(string linkage, bool definesCohort, int child, int pupil, int learner, bool byPerson,
        (int, string, string)[] references)
    {
        _linkage = linkage;
        _definesCohort = definesCohort;
        _child = child;
        _pupil = pupil;
        _learner = learner;
        _byPerson = byPerson;
        _references = references;
    }

    /// <summary>The name of the linkage step that cannot run on this drop, and why (listed in the receipt as skipped).</summary>
    public string? SkippedRule { get; private init; }
    public string? SkippedReason { get; private init; }

    /// <param name="fields">The drop's shared fields, in value order.</param>
    public static RowLinker Build(DropSchema schema, string dropType, IReadOnlyList<FieldCheck> fields, bool personKeyAvailable)
    {
        int Index(Func<DropField, bool> p)
        {
            for (var i = 0; i < fields.Count; i++) if (p(fields[i].Field)) return i;
            return -1;
        }
        var child = Index(f => f.Privacy?.As == CuratedLayout.ChildId);
        var pupil = Index(f => f.Format == "upn");
        var learner = Index(f => f.Format == "uln");
        var references = schema.References
            .Select(r => (Index(f => f.Name == r.Field), r.DropType, r.Field))
            .Where(r => r.Item1 >= 0).ToArray();
        var byPerson = schema.Linkage == Linkages.Education && personKeyAvailable;
        var schemaHasNames = schema.Field("legal_surname") is not null && schema.Field("legal_forename") is not null;
        return new RowLinker(schema.Linkage, dropType == CohortIndex.ChildrenDropType, child, pupil, learner, byPerson, references)
        {
            SkippedRule = schema.Linkage == Linkages.Education && schemaHasNames && !byPerson ? "linkage-name-and-date-of-birth" : null,
            SkippedReason = schema.Linkage == Linkages.Education && schemaHasNames && !byPerson
                ? "The file does not share legal_surname, legal_forename and date_of_birth, " +
                    "so pupils without a matching ULN or UPN cannot link by name."
                : null,
        };
    }

    /// <summary>Links a row whose identifiers are already pseudonyms; <paramref name="personKey"/> is asked only when needed.</summary>
    public (string? ChildId, LinkResult Result) Link(CellValue[] values, Func<string?> personKey, ICohort cohort)
    {
        switch (_linkage)
        {
            case Linkages.None:
                return (null, LinkResult.NoChild);
            case Linkages.CaseRef:
                var childId = values[_child].Text!;
                if (_definesCohort) return (childId, LinkResult.CaseRef);
                if (!cohort.KnowsChild(childId)) return (childId, LinkResult.Held);
                foreach (var (field, dropType, name) in _references)
                    if (values[field].Present && !cohort.Knows(dropType, name, values[field].Text!)) return (childId, LinkResult.Held);
                return (childId, LinkResult.CaseRef);
        }

        var learner = _learner >= 0 && values[_learner].Present ? values[_learner].Text : null;
        var pupil = _pupil >= 0 && values[_pupil].Present ? values[_pupil].Text : null;
        // A pupil's rows follow each other with the same pseudonym instance; the answer for it cannot change within a drop.
        if ((learner ?? pupil) is not null && ReferenceEquals(learner, _lastLearner) && ReferenceEquals(pupil, _lastPupil))
            return _lastLink;
        _lastLink = LinkByIdentifiers(learner, pupil, personKey, cohort);
        (_lastLearner, _lastPupil) = (learner, pupil);
        return _lastLink;
    }

    private (string? ChildId, LinkResult Result) LinkByIdentifiers(string? learner, string? pupil, Func<string?> personKey, ICohort cohort)
    {
        if (learner is not null && cohort.ChildOfLearner(learner) is { } byUln) return (byUln, LinkResult.Uln);
        if (pupil is not null && cohort.ChildOfPupil(pupil) is { } byUpn) return (byUpn, LinkResult.Upn);
        if (!_byPerson) return (null, LinkResult.OutOfCohort);

        var memo = learner ?? pupil;
        if (memo is null || !_personFallback.TryGetValue(memo, out var byPerson))
        {
            byPerson = personKey() is { } key ? cohort.ChildOfPerson(key) : null;
            if (memo is not null) _personFallback[memo] = byPerson;
        }
        return byPerson is null ? (null, LinkResult.OutOfCohort) : (byPerson, LinkResult.NameAndDateOfBirth);
    }
}
