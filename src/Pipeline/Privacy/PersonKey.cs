using System.Globalization;
using System.Text;

namespace YouthJustice.Pipeline.Privacy;

/// <summary>
/// The name + date-of-birth linkage key's input: normalised legal surname, first forename initial and date of birth,
/// for learners a YOT knows by name only. Normalised so the systems' spellings meet: accents, case, spaces, hyphens
/// and apostrophes do not matter ("O'Brien-Smith" = "OBRIEN SMITH"). Hashed under its own domain like any other
/// identifier; the plain form exists only inside the gate.
/// </summary>
public static class PersonKey
{
    public const string Domain = "name-dob";

    /// <summary>The normalised key, or null when a name has no letters to go on.</summary>
    public static string? Normalise(ReadOnlySpan<char> surname, ReadOnlySpan<char> forename, DateOnly dateOfBirth)
    {
        var s = Letters(surname);
        var f = Letters(forename);
        if (s.Length == 0 || f.Length == 0) return null;
        return string.Create(CultureInfo.InvariantCulture, $"{s}|{f[0]}|{dateOfBirth:yyyy-MM-dd}");
    }

    private static string Letters(ReadOnlySpan<char> name)
    {
        var decomposed = name.ToString().Normalize(NormalizationForm.FormD);
        var b = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var upper = char.ToUpperInvariant(c);
            if (upper is >= 'A' and <= 'Z') b.Append(upper);
        }
        return b.ToString();
    }
}
