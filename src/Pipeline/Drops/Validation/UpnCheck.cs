namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// The DfE unique pupil number: a check letter, then 12 characters (LA, establishment, year, serial; the
/// last may be a letter in a temporary UPN). Check letter per the DfE UPN guidance (CIN census rule 1510).
/// </summary>
public static class UpnCheck
{
    private const string Letters = "ABCDEFGHJKLMNPQRTUVWXYZ";

    public enum Result { Valid, BadFormat, BadCheckLetter }

    public static Result Check(ReadOnlySpan<char> upn)
    {
        if (upn.Length != 13) return Result.BadFormat;
        if (Letters.IndexOf(char.ToUpperInvariant(upn[0])) < 0) return Result.BadFormat;
        for (var i = 1; i < 12; i++)
            if (!char.IsAsciiDigit(upn[i])) return Result.BadFormat;
        var last = char.ToUpperInvariant(upn[12]);
        if (!char.IsAsciiDigit(last) && Letters.IndexOf(last) < 0) return Result.BadFormat;

        return char.ToUpperInvariant(upn[0]) == CheckLetter(upn[1..]) ? Result.Valid : Result.BadCheckLetter;
    }

    /// <summary>The check letter for the 12 characters after it.</summary>
    public static char CheckLetter(ReadOnlySpan<char> twelve)
    {
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            var c = char.ToUpperInvariant(twelve[i]);
            var value = char.IsAsciiDigit(c) ? c - '0' : Letters.IndexOf(c);
            sum += value * (i + 2);
        }
        return Letters[sum % 23];
    }
}
