namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>A person as schools, colleges and the YOT record them.</summary>
internal sealed record Person(string Upn, string Surname, string Forename, DateOnly DateOfBirth, string Sex)
{
    /// <summary>The gate's name-and-date-of-birth key, roughly: surname, first initial, date of birth.</summary>
    public string NameKey =>
        $"{Surname.ToUpperInvariant().Replace("-", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal)}"
        + $"|{Forename[0]}|{DateOfBirth:yyyyMMdd}";
}

/// <summary>Names, ethnicities and places for synthetic people: a northern English city and its neighbours.</summary>
internal static class DemoPeople
{
    public static readonly string[] Surnames =
    [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson",
        "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Turner", "Hill",
        "Cooper", "Ward", "Moore", "King", "Baker", "Harris", "Lee", "Walsh", "Murphy", "O'Brien", "Campbell", "Khan",
        "Hussain", "Ali", "Ahmed", "Akhtar", "Patel", "Singh", "Mensah", "Okafor", "Nowak", "Kowalski", "Smith-Bennett",
        "Barker", "Holmes", "Fletcher", "Marsden", "Booth", "Sutcliffe", "Lister", "Kaur", "Begum", "Mahmood", "Asante",
        "Adeyemi", "Wiśniewski", "Popescu", "Doherty", "McCann", "Shaw", "Pearson", "Atkinson", "Dixon", "Riley",
    ];

    public static readonly string[] BoysNames =
    [
        "Oliver", "Harry", "Jack", "Charlie", "George", "Jacob", "Noah", "Leo", "Alfie", "Riley", "Kai", "Tyler", "Callum",
        "Kyle", "Connor", "Liam", "Mason", "Jayden", "Reece", "Ethan", "Lewis", "Bradley", "Muhammad", "Ibrahim", "Ayaan",
        "Kacper", "Jakub", "Tyrese", "Marcus", "Declan", "Logan", "Finley", "Harvey", "Kieran", "Hamza", "Yusuf", "Zain",
    ];

    public static readonly string[] GirlsNames =
    [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ella", "Grace", "Lily", "Chloe", "Jessica", "Holly", "Courtney", "Paige",
        "Megan", "Leah", "Shannon", "Aaliyah", "Zara", "Maryam", "Amira", "Zuzanna", "Keira", "Demi", "Jade", "Ruby", "Skye",
        "Freya", "Evie", "Poppy", "Aisha", "Hafsa", "Niamh", "Kayleigh",
    ];

    // DfE main codes in a plausible mix for a northern English city, including refused and not obtained.
    public static readonly (string Code, double Weight)[] Ethnicities =
    [
        ("WBRI", 62), ("WIRI", 0.5), ("WIRT", 1), ("WROM", 1), ("WOTH", 4), ("MWBC", 6), ("MWBA", 1), ("MWAS", 1), ("MOTH", 2),
        ("AIND", 2), ("APKN", 5), ("ABAN", 1), ("CHNE", 0.3), ("AOTH", 1), ("BCRB", 3), ("BAFR", 4), ("BOTH", 1),
        ("OARB", 0.5), ("OOTH", 1), ("REFU", 1.5), ("NOBT", 1.5),
    ];

    // Local children live in the city's districts; those supervised for another area live in a neighbouring one (with its LA number).
    public const string LocalLa = "383";
    public static readonly string[] LocalDistricts = ["LS6", "LS7", "LS8", "LS9", "LS10", "LS11", "LS12", "LS13", "LS14", "LS15", "LS27",
        "LS28"];
    public static readonly (string La, string[] Districts)[] OtherAreas = [("380", ["BD3", "BD4", "BD5"]), ("384", ["WF1", "WF2", "WF10"])];
    private const string InwardLetters = "ABDEFGHJLNPQRSTUWXYZ"; // C, I, K, M, O and V are never used in an inward code

    public static string Postcode(DemoRandom rng, string district) =>
        $"{district} {rng.Next(1, 10)}{InwardLetters[rng.Next(InwardLetters.Length)]}{InwardLetters[rng.Next(InwardLetters.Length)]}";

    /// <summary>A made-up person with a valid UPN, unique by UPN and by name-and-date-of-birth key.</summary>
    public static Person NewPerson(DemoRandom rng, DemoIdentity ids, string la, DateOnly dateOfBirth, string sex)
    {
        while (true)
        {
            var forenames = sex switch { "1" => BoysNames, "2" => GirlsNames, _ => rng.Chance(0.5) ? BoysNames : GirlsNames };
            var person = new Person(DemoCsv.Upn(rng, ids.Upns, la, dateOfBirth), rng.Pick(Surnames), rng.Pick(forenames), dateOfBirth, sex);
            if (ids.NameKeys.Add(person.NameKey)) return person;
        }
    }

    /// <summary>The national curriculum year group in the academic year starting in September of <paramref name="academicYear"/>.</summary>
    public static int YearGroup(DateOnly dateOfBirth, int academicYear) =>
        academicYear - (dateOfBirth.Month >= 9 ? dateOfBirth.Year : dateOfBirth.Year - 1) - 5;

    /// <summary>Completed years on a day.</summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly day)
    {
        var age = day.Year - dateOfBirth.Year;
        return dateOfBirth.AddYears(age) > day ? age - 1 : age;
    }

    /// <summary>Of compulsory school age on a day: under 16 on the 31 August before it (docs/kpis.md §1).</summary>
    public static bool SchoolAge(DateOnly dateOfBirth, DateOnly day)
    {
        var august = new DateOnly(day.Month >= 9 ? day.Year : day.Year - 1, 8, 31);
        return AgeOn(dateOfBirth, august) < 16;
    }

    /// <summary>The 1 September from which a child is above compulsory school age.</summary>
    public static DateOnly PostSixteenFrom(DateOnly dateOfBirth)
    {
        // 16 on or before 31 August of year Y → above school age from 1 September of Y.
        var sixteen = dateOfBirth.AddYears(16);
        return sixteen <= new DateOnly(sixteen.Year, 8, 31) ? new DateOnly(sixteen.Year, 9, 1) : new DateOnly(sixteen.Year + 1, 9, 1);
    }
}

/// <summary>Identifiers already handed out, so that no two made-up people share one.</summary>
internal sealed class DemoIdentity
{
    public HashSet<string> Upns { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Ulns { get; } = new(StringComparer.Ordinal);
    public HashSet<string> NameKeys { get; } = new(StringComparer.Ordinal);
}
