using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Privacy;

/// <summary>
/// The gate's minimise step for one drop: which of the file's columns are kept at all (<see cref="Keeps"/>), and what
/// of each kept field reaches curated storage, as its schema's <see cref="PrivacyAction"/> says. The row path calls
/// <see cref="Pseudonymise"/> on each valid row before linkage, so linkage and everything after it see pseudonyms only,
/// then <see cref="Write"/> to stage what is left. Built once per drop: nothing on the per-row path looks an action up.
/// </summary>
public sealed class Minimiser
{
    private readonly Kept[] _fields;
    private readonly DateOnly _arrivedOn;

    /// <param name="fields">The drop's shared fields, in the order of the row's values.</param>
    /// <param name="layout">The curated columns of the drop type (<see cref="CuratedLayout.Columns"/>).</param>
    public Minimiser(IReadOnlyList<DropField> fields, IReadOnlyList<(string Name, ColumnKind Kind)> layout, Pseudonymiser pseudonymiser,
        DateOnly arrivedOn)
    {
        _arrivedOn = arrivedOn;
        var names = layout.Select(c => c.Name).ToList();
        _fields = fields.Select(f =>
        {
            var privacy = f.Privacy;
            return privacy?.Action switch
            {
                null => new Kept(null, null, names.IndexOf(f.Name), -1),
                PrivacyAction.Pseudonymise => new Kept(privacy.Action, pseudonymiser.For(privacy.Domain!), names.IndexOf(privacy.As!), -1),
                PrivacyAction.Remove => new Kept(privacy.Action, null, -1, -1),
                PrivacyAction.Age => new Kept(privacy.Action, null, -1, names.IndexOf(CuratedLayout.Age)),
                PrivacyAction.DateOfBirth => new Kept(privacy.Action, null, names.IndexOf(CuratedLayout.DateOfBirth),
                    names.IndexOf(CuratedLayout.Age)),
                PrivacyAction.PostcodeDistrict => new Kept(privacy.Action, null, names.IndexOf(CuratedLayout.PostcodeDistrict), -1),
                _ => throw new ArgumentOutOfRangeException(nameof(fields), privacy.Action,
                    $"{f.Name}: no minimisation for this privacy action."),
            };
        }).ToArray();
    }

    /// <summary>
    /// Whether a column of the file is kept at all: only what the agreement shares. One it does not share is dropped
    /// with the header, and the receipt names it among the fields not shared.
    /// </summary>
    public static bool Keeps(AgreedDropType terms, DropField field) => terms.Shares(field.Name);

    /// <summary>Replaces each identifier to be pseudonymised with its keyed pseudonym, in place.</summary>
    public void Pseudonymise(CellValue[] values)
    {
        for (var i = 0; i < _fields.Length; i++)
            if (_fields[i].Hasher is { } hasher && values[i].Present)
                values[i].Text = hasher.Pseudonym(values[i].Text!);
    }

    /// <summary>Stages what is left of each field of a pseudonymised row.</summary>
    public void Write(StagedParquetFile file, int row, CellValue[] values)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            ref readonly var value = ref values[i];
            var f = _fields[i];
            switch (f.Action)
            {
                case PrivacyAction.Remove:
                    break;
                case PrivacyAction.Age:
                    file.Column(f.AgeColumn).Set(row, AgeOf(value));
                    break;
                case PrivacyAction.DateOfBirth:
                    file.Column(f.Column).Set(row, value);
                    file.Column(f.AgeColumn).Set(row, AgeOf(value));
                    break;
                case PrivacyAction.PostcodeDistrict:
                    file.Column(f.Column).Set(row, value.Present ? CellValue.OfText(Generalise.PostcodeDistrict(value.Text!)) : default);
                    break;
                default:
                    if (f.Column >= 0) file.Column(f.Column).Set(row, value);
                    break;
            }
        }
    }

    private CellValue AgeOf(in CellValue dateOfBirth) =>
        dateOfBirth.Present ? CellValue.OfInteger(Generalise.AgeOn(dateOfBirth.Date, _arrivedOn)) : default;

    /// <summary>One field's treatment: its action, its key, and the curated columns it writes (-1: none).</summary>
    private readonly record struct Kept(PrivacyAction? Action, DomainHasher? Hasher, int Column, int AgeColumn);
}
