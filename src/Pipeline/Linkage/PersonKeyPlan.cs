using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Reading;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Linkage;

/// <summary>
/// Where a drop's legal surname, forename and date of birth are, so the name + date-of-birth key can be made for a
/// row when it is needed: always for the YOT's children, and for school or college rows only when neither the ULN nor
/// the UPN links (an HMAC per row would cost more than the rest of the row path).
/// </summary>
public sealed class PersonKeyPlan
{
    private readonly int _surname = -1;
    private readonly int _forename = -1;
    private readonly int _dateOfBirth = -1;
    private readonly DomainHasher? _hasher;

    private PersonKeyPlan() { }

    private PersonKeyPlan(int surname, int forename, int dateOfBirth, DomainHasher hasher)
    {
        _surname = surname;
        _forename = forename;
        _dateOfBirth = dateOfBirth;
        _hasher = hasher;
    }

    public bool Available => _hasher is not null;

    /// <param name="fields">The drop's shared fields with their positions in the file, in value order.</param>
    public static PersonKeyPlan Build(IReadOnlyList<(DropField Field, int Ordinal)> fields, Pseudonymiser pseudonymiser)
    {
        int Ordinal(string name) => fields.FirstOrDefault(f => f.Field.Name == name) is { Field: not null } f ? f.Ordinal : -1;
        var surname = Ordinal("legal_surname");
        var forename = Ordinal("legal_forename");
        var dob = fields.ToList().FindIndex(f => f.Field.Format == "date-of-birth");
        return surname < 0 || forename < 0 || dob < 0 ? new PersonKeyPlan() : new PersonKeyPlan(surname, forename, dob,
            pseudonymiser.For(PersonKey.Domain));
    }

    /// <summary>The keyed pseudonym of the current row's name and date of birth, or null when any part is missing.</summary>
    public string? Compute(CsvDropReader reader, CellValue[] values)
    {
        if (_hasher is null || !values[_dateOfBirth].Present) return null;
        var key = PersonKey.Normalise(reader.Span(_surname), reader.Span(_forename), values[_dateOfBirth].Date);
        return key is null ? null : _hasher.Pseudonym(key);
    }
}
