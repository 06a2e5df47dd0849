namespace YouthJustice.Pipeline.Privacy;

/// <summary>Quasi-identifiers degraded at the gate: date of birth to age or month, postcode to district.</summary>
public static class Generalise
{
    /// <summary>Age in completed years on a day (a child is 10 on their 10th birthday).</summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly day)
    {
        var age = day.Year - dateOfBirth.Year;
        if (day.Month < dateOfBirth.Month || (day.Month == dateOfBirth.Month && day.Day < dateOfBirth.Day)) age--;
        return age;
    }

    /// <summary>The month of birth, <c>YYYY-MM</c>: all that is kept of a date of birth.</summary>
    public static string BirthMonth(DateOnly dateOfBirth) => $"{dateOfBirth.Year:0000}-{dateOfBirth.Month:00}";

    /// <summary>
    /// Age in completed years on a day, known only from the month of birth. Within the birth month itself the
    /// birthday is taken as the 1st: the day is unknown past the gate, and one fixed rule keeps results reproducible.
    /// </summary>
    public static int AgeOn(string birthMonth, DateOnly day)
    {
        var year = int.Parse(birthMonth.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture);
        var month = int.Parse(birthMonth.AsSpan(5, 2), System.Globalization.CultureInfo.InvariantCulture);
        return AgeOn(new DateOnly(year, month, 1), day);
    }

    /// <summary>The postcode district (outward code), e.g. "SW1A 1AA" → "SW1A"; null where it is not a UK postcode.</summary>
    public static string? PostcodeDistrict(string postcode)
    {
        var compact = postcode.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (compact.Length is < 5 or > 7) return null;
        var outward = compact[..^3];
        var inward = compact[^3..];
        if (!char.IsAsciiDigit(inward[0]) || !char.IsAsciiLetter(inward[1]) || !char.IsAsciiLetter(inward[2])) return null;
        if (!char.IsAsciiLetter(outward[0]) || !outward.All(char.IsAsciiLetterOrDigit)) return null;
        return outward;
    }
}
