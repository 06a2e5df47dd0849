namespace YouthJustice.Pipeline.Privacy;

/// <summary>Quasi-identifiers degraded at the gate: date of birth to age, postcode to district; and ages in completed years.</summary>
public static class Generalise
{
    /// <summary>
    /// Age in completed years on a day: a child is N on their Nth birthday. A child born on 29 February has their
    /// birthday on 1 March in a year without one (the usual reading in English law, e.g. for coming of age), so on
    /// 28 February of such a year they are still a year younger.
    /// </summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly day)
    {
        var age = day.Year - dateOfBirth.Year;
        if (day.Month < dateOfBirth.Month || (day.Month == dateOfBirth.Month && day.Day < dateOfBirth.Day)) age--;
        return age;
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
