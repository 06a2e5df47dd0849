using System.Globalization;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// The checks of one schema field, compiled once per drop: type, required, code list, identifier format and
/// check digit. Parses the cell into a typed value or says which rule it breaks.
/// </summary>
public sealed class FieldCheck
{
    private readonly HashSet<string>? _codes;
    private readonly Rule _codeRule;
    private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);
    // Decided once per drop rather than per cell: these run on every cell of multi-million-row files.
    private readonly bool _isDateOfBirth;
    private readonly bool _notFuture;
    private readonly bool _weekday;
    private readonly Rule _rangeRule;
    private readonly bool _removed;
    private readonly bool _upper;
    // Cells that passed, by their exact text, with their values (see Check). What repeats across a file is short and
    // has few values (sessions, codes, dates, schools); a field of many values (UPNs, names) fills the table with cells
    // that a pupil's next rows find as the last cell anyway. At 1,024 entries the table, and every array it outgrows on
    // the way, stays under the large-object threshold, so what it outgrows is collected young, not left for a full
    // collection (4,096 took about 2 MB more of the 3.8 M-row benchmark's peak and gained no time).
    private const int PassedLength = 32;
    private const int PassedLimit = 1024;
    private readonly Dictionary<string, CellValue> _passed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CellValue>.AlternateLookup<ReadOnlySpan<char>> _passedLookup;
    private DateOnly _passedArrivedOn;
    // The last cell that passed, with its value (see Check).
    private readonly char[] _lastRaw = new char[64];
    private int _lastLength;
    private bool _lastPassed;
    private DateOnly _lastArrivedOn;
    private CellValue _lastValue;

    public FieldCheck(DropField field, SchemaCatalogue catalogue)
    {
        Field = field;
        Kind = CuratedLayout.KindOf(field);
        _passedLookup = _passed.GetAlternateLookup<ReadOnlySpan<char>>();
        _isDateOfBirth = field.Format == "date-of-birth";
        _notFuture = field.Constraints.NotFuture;
        _weekday = field.Constraints.Weekday;
        _rangeRule = field.RangeRule is { } range
            ? RuleCatalogue.ValueOutOfRange with
                { Code = range, Checks = $"{field.Name} is within {field.Constraints.Minimum}–{field.Constraints.Maximum}." }
            : RuleCatalogue.ValueOutOfRange;
        _removed = field.Privacy?.Action == PrivacyAction.Remove;
        _upper = field.Format is "upn" or "uln" or "yot-case-ref" or "postcode";
        if (field.Constraints.Enum is { } values) _codes = new HashSet<string>(values, StringComparer.Ordinal);
        else if (field.Constraints.CodeList is { } list)
            _codes = new HashSet<string>(catalogue.CodeList(list).Codes, StringComparer.Ordinal);
        _codeRule = (field.CodeRule is { } code
            ? RuleCatalogue.CodeUnknown with { Code = code, Checks = $"{field.Name} holds one of the published codes." }
            : RuleCatalogue.CodeUnknown) with { Severity = field.CodeRuleSeverity };
    }

    public DropField Field { get; }
    public ColumnKind Kind { get; }

    /// <summary>Personal data is never echoed back in an error.</summary>
    public bool Personal => Field.Privacy is not null;

    public Rule CodeRule => _codeRule;

    /// <summary>The codes of every rule this field's check can report, for the receipt's list of rules run.</summary>
    public IEnumerable<string> RuleCodes
    {
        get
        {
            if (Field.Required) yield return RuleCatalogue.RequiredValueMissing.Code;
            switch (Kind)
            {
                case ColumnKind.Date:
                    yield return RuleCatalogue.DateInvalid.Code;
                    if (_isDateOfBirth) yield return RuleCatalogue.DateOfBirthImpossible.Code;
                    if (_notFuture) yield return RuleCatalogue.DateInFuture.Code;
                    if (_weekday) yield return RuleCatalogue.DateOnWeekend.Code;
                    if (Field.Constraints.AgeRange is not null) yield return RuleCatalogue.AgeOutsideYouthJusticeRange.Code;
                    break;
                case ColumnKind.Integer: yield return RuleCatalogue.IntegerInvalid.Code; break;
                case ColumnKind.Number: yield return RuleCatalogue.NumberInvalid.Code; break;
                case ColumnKind.Flag: yield return RuleCatalogue.FlagInvalid.Code; break;
            }
            if (Field.Constraints.Minimum is not null || Field.Constraints.Maximum is not null) yield return _rangeRule.Code;
            if (Field.Constraints.MaxLength is not null) yield return RuleCatalogue.TextTooLong.Code;
            if (_codes is not null) yield return _codeRule.Code;
            switch (Field.Format)
            {
                case "upn": yield return RuleCatalogue.UpnFormat.Code; yield return RuleCatalogue.UpnCheckLetter.Code; break;
                case "uln": yield return RuleCatalogue.UlnFormat.Code; yield return RuleCatalogue.UlnCheckDigit.Code; break;
                case "urn": yield return RuleCatalogue.UrnFormat.Code; break;
                case "ukprn": yield return RuleCatalogue.UkprnFormat.Code; break;
                case "yot-case-ref": yield return RuleCatalogue.CaseRefFormat.Code; break;
                case "postcode": yield return RuleCatalogue.PostcodeFormat.Code; break;
            }
        }
    }
    public Rule RangeRule => _rangeRule;

    /// <summary>Checks a cell. Returns null when it passes, with <paramref name="value"/> set (Present false for empty).</summary>
    public (Rule Rule, string Message)? Check(ReadOnlySpan<char> raw, DateOnly arrivedOn, out CellValue value)
    {
        // Exports list a pupil's rows together: the UPN, date of birth and school repeat row after row. The checks of a
        // cell depend on nothing but its text and the arrival day, so a cell that passed and is sent again unchanged
        // on the next row passes again with the same value, without parsing, checking and interning it again; and a
        // short cell that passed anywhere before (a session, an attendance code, a date) is looked up, not checked.
        if (_lastPassed && arrivedOn == _lastArrivedOn && raw.SequenceEqual(_lastRaw.AsSpan(0, _lastLength)))
        {
            value = _lastValue;
            return null;
        }
        if (arrivedOn != _passedArrivedOn)
        {
            _passed.Clear();
            _passedArrivedOn = arrivedOn;
        }
        (Rule Rule, string Message)? failure = null;
        var memo = raw.Length <= PassedLength;
        if (!memo || !_passedLookup.TryGetValue(raw, out value))
        {
            failure = CheckCell(raw, arrivedOn, out value);
            if (memo && failure is null && _passed.Count < PassedLimit) _passedLookup[raw] = value;
        }
        _lastPassed = failure is null && raw.Length <= _lastRaw.Length;
        if (_lastPassed)
        {
            raw.CopyTo(_lastRaw);
            _lastLength = raw.Length;
            _lastArrivedOn = arrivedOn;
            _lastValue = value;
        }
        return failure;
    }

    private (Rule Rule, string Message)? CheckCell(ReadOnlySpan<char> raw, DateOnly arrivedOn, out CellValue value)
    {
        value = default;
        var cell = raw.Trim();
        if (cell.IsEmpty)
            return Field.Required ? (RuleCatalogue.RequiredValueMissing, $"{Field.Name} is required but empty.") : null;

        switch (Kind)
        {
            case ColumnKind.Date:
                if (!DropDates.TryParse(cell, out var date))
                    return (RuleCatalogue.DateInvalid, $"{Field.Name} is not a date written YYYY-MM-DD or DD/MM/YYYY.");
                if (_isDateOfBirth && (date > arrivedOn || Privacy.Generalise.AgeOn(date, arrivedOn) > 25))
                    return (RuleCatalogue.DateOfBirthImpossible, $"{Field.Name} is in the future or gives an age over 25.");
                if (_notFuture && date > arrivedOn)
                    return (RuleCatalogue.DateInFuture, $"{Field.Name} {date:yyyy-MM-dd} is after the day the file arrived.");
                if (_weekday && date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                    return (RuleCatalogue.DateOnWeekend, $"{Field.Name} {date:yyyy-MM-dd} is a {date.DayOfWeek}.");
                value = new CellValue { Present = true, Date = date };
                // A query keeps the value: the row goes on, the sender is asked to check.
                if (Field.Constraints.AgeRange is { } range && Privacy.Generalise.AgeOn(date, arrivedOn) is var age
                    && (age < range.Min || age > range.Max))
                    return (RuleCatalogue.AgeOutsideYouthJusticeRange,
                        $"{Field.Name} gives an age of {age} on the day the file arrived, outside {range.Min}–{range.Max}.");
                return null;
            case ColumnKind.Integer:
                if (!int.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                    return (RuleCatalogue.IntegerInvalid, $"{Field.Name} is not a whole number.");
                if (OutOfRange(i) is { } r1) return r1;
                value = new CellValue { Present = true, Integer = i };
                return null;
            case ColumnKind.Number:
                if (!double.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                    out var d))
                    return (RuleCatalogue.NumberInvalid, $"{Field.Name} is not a number.");
                if (OutOfRange(d) is { } r2) return r2;
                value = new CellValue { Present = true, Number = d };
                return null;
            case ColumnKind.Flag:
                bool? flag = cell.Length switch
                {
                    1 => cell[0] switch { 'Y' or 'y' or '1' => true, 'N' or 'n' or '0' => false, _ => null },
                    4 when cell.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
                    5 when cell.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
                    _ => null,
                };
                if (flag is null) return (RuleCatalogue.FlagInvalid, $"{Field.Name} must be Y or N.");
                value = new CellValue { Present = true, Flag = flag.Value };
                return null;
        }

        if (Field.Constraints.MaxLength is { } max && cell.Length > max)
            return (RuleCatalogue.TextTooLong, $"{Field.Name} is longer than {max} characters.");
        if (Field.Format is not null && CheckFormat(cell) is { } formatError) return formatError;
        // Names and the like are checked, never kept: no need to make a string of them.
        if (_removed)
        {
            value = new CellValue { Present = true };
            return null;
        }

        string text;
        if (_codes is not null)
        {
            text = Intern(cell, upper: true);
            if (!_codes.Contains(text))
            {
                if (_codeRule.Severity == RuleSeverity.Error)
                    return (_codeRule, $"{Field.Name} '{(Personal ? "…" : text)}' is not one of the published codes.");
                // A query keeps the value as sent: no figure depends on it, and the sender is asked to check it.
                value = CellValue.OfText(text);
                return (_codeRule, $"{Field.Name} '{(Personal ? "…" : text)}' is not one of the published codes; " +
                    "the row is kept, please check the code.");
            }
        }
        else
        {
            text = Intern(cell, _upper);
        }
        value = CellValue.OfText(text);
        return null;
    }

    private (Rule, string)? CheckFormat(ReadOnlySpan<char> cell) => Field.Format switch
    {
        "upn" => UpnCheck.Check(cell) switch
        {
            UpnCheck.Result.BadFormat =>
                (RuleCatalogue.UpnFormat, $"{Field.Name} is not 13 characters of a letter, 11 digits and a digit or letter."),
            UpnCheck.Result.BadCheckLetter => (RuleCatalogue.UpnCheckLetter, $"{Field.Name} fails its check letter: it is mistyped."),
            _ => null,
        },
        "uln" => UlnCheck.Check(cell) switch
        {
            UlnCheck.Result.BadFormat => (RuleCatalogue.UlnFormat, $"{Field.Name} is not 10 digits."),
            UlnCheck.Result.BadCheckDigit => (RuleCatalogue.UlnCheckDigit, $"{Field.Name} fails its check digit: it is mistyped."),
            _ => null,
        },
        "urn" when cell.Length != 6 || !IsDigits(cell) => (RuleCatalogue.UrnFormat, $"{Field.Name} is not 6 digits."),
        "ukprn" when cell.Length != 8 || cell[0] != '1' || !IsDigits(cell) => (RuleCatalogue.UkprnFormat,
            $"{Field.Name} is not 8 digits starting with 1."),
        "yot-case-ref" when cell.Length > 30 => (RuleCatalogue.CaseRefFormat, $"{Field.Name} is longer than 30 characters."),
        "postcode" when Privacy.Generalise.PostcodeDistrict(cell.ToString()) is null =>
            (RuleCatalogue.PostcodeFormat, $"{Field.Name} is not a UK postcode."),
        _ => null,
    };

    private (Rule, string)? OutOfRange(double v)
    {
        if (Field.Constraints.Minimum is { } min && v < min) return (_rangeRule, $"{Field.Name} {v} is below the lowest allowed, {min}.");
        if (Field.Constraints.Maximum is { } max && v > max) return (_rangeRule, $"{Field.Name} {v} is above the highest allowed, {max}.");
        return null;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    // Short values repeat row after row (a pupil's UPN on every session, codes, URNs): pooling gives one string
    // per distinct value, and lets the pseudonym cache hit on the same instance. Bounded by distinct values, not rows.
    private const int InternLimit = 250_000;

    private string Intern(ReadOnlySpan<char> cell, bool upper)
    {
        Span<char> buffer = stackalloc char[Math.Min(cell.Length, 64)];
        if (cell.Length > 64) return upper ? cell.ToString().ToUpperInvariant() : cell.ToString();
        if (upper) cell.ToUpperInvariant(buffer); else cell.CopyTo(buffer);
        var lookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(buffer, out var s)) return s;
        s = buffer.ToString();
        if (_interned.Count < InternLimit) _interned[s] = s;
        return s;
    }
}
