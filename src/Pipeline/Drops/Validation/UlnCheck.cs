namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>The unique learner number: 10 digits, the last a check digit per ESFA ILR derived-data rule DD01.</summary>
public static class UlnCheck
{
    public enum Result { Valid, BadFormat, BadCheckDigit }

    public static Result Check(ReadOnlySpan<char> uln)
    {
        if (uln.Length != 10) return Result.BadFormat;
        foreach (var c in uln)
            if (!char.IsAsciiDigit(c)) return Result.BadFormat;
        var check = CheckDigit(uln[..9]);
        return check is not null && uln[9] - '0' == check ? Result.Valid : Result.BadCheckDigit;
    }

    /// <summary>The check digit for the first nine digits, or null where none can be valid (remainder 0).</summary>
    public static int? CheckDigit(ReadOnlySpan<char> nine)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (nine[i] - '0') * (10 - i);
        var r = sum % 11;
        return r == 0 ? null : 10 - r;
    }
}
