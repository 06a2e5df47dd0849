namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// The two date forms drops may use: <c>YYYY-MM-DD</c> and <c>DD/MM/YYYY</c> (as UK school systems export them).
/// Parsed by hand: this runs on every date cell of multi-million-row drops, where the culture-aware parser is slow.
/// </summary>
public static class DropDates
{
    public static bool TryParse(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10) return false;
        int year, month, day;
        if (s[4] == '-' && s[7] == '-')
        {
            if (!Digits(s[..4], out year) || !Digits(s.Slice(5, 2), out month) || !Digits(s.Slice(8, 2), out day)) return false;
        }
        else if (s[2] == '/' && s[5] == '/')
        {
            if (!Digits(s[..2], out day) || !Digits(s.Slice(3, 2), out month) || !Digits(s.Slice(6, 4), out year)) return false;
        }
        else return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
