namespace YouthJustice.Pipeline.Local.Demo;

internal enum Route { Court, OutOfCourt, Prevention }

internal sealed record Disposal(string Code, double Weight, Route Route, int MinDays, int MaxDays, int MaxLagDays, string OutcomeGroup,
    bool Custody = false);

internal sealed record Intervention(string CaseRef, string Id, Disposal Disposal, DateOnly OutcomeDate, DateOnly Start, DateOnly? End,
    bool? ChangedOnAppeal, bool? OocdCompleted)
{
    /// <summary>The day a custodial sentence's custodial half ends (release on licence); null for other disposals.</summary>
    public DateOnly? Release => Disposal.Custody ? Start.AddDays(((End ?? Start.AddDays(Disposal.MaxDays)).DayNumber - Start.DayNumber) / 2)
        : null;
}

internal sealed record Offence(string CaseRef, string Id, string? InterventionId, DateOnly OffenceDate, DateOnly OutcomeDate,
    string Category, int Score, string OutcomeGroup);

internal sealed record Spell(DateOnly Start, DateOnly? End, string Type, string Suitability, double? HoursOffered = null,
    double? HoursAttended = null);

internal enum SendStatus { NotAssessed, NoNeed, Need, Ehcp }

/// <summary>A child on the YOT's case records, with everything the YOT knows about them.</summary>
internal sealed class Child(string caseRef, Person person, string uln, string ethnicity, string postcode, bool localResident,
    bool ukDateOfBirth)
{
    public string CaseRef { get; } = caseRef;
    public Person Person { get; } = person;
    /// <summary>The ULN on the YOT's record (empty when the YOT does not know it).</summary>
    public string Uln { get; set; } = uln;
    /// <summary>The learner's real ULN, which a college knows even when the YOT does not.</summary>
    public string? TrueUln { get; set; }
    /// <summary>The UPN on the YOT's record (empty for a few children the YOT never got one for).</summary>
    public string Upn { get; set; } = person.Upn;
    public string Ethnicity { get; } = ethnicity;
    public string Postcode { get; } = postcode;
    public bool LocalResident { get; } = localResident;
    public bool UkDateOfBirth { get; } = ukDateOfBirth;
    public List<Intervention> Interventions { get; } = [];
    public List<Spell> Accommodation { get; } = [];
    public List<Spell> Ete { get; } = [];
    public List<string[]> Send { get; } = [];
    public SendStatus SendStatus { get; set; }
    public List<string[]> Health { get; } = [];
    public List<Spell> Care { get; } = [];
    /// <summary>A move from school to a pupil referral unit on this day (after a permanent exclusion).</summary>
    public DateOnly? ExcludedToPru { get; set; }
    public string? Note { get; set; }

    public DateOnly FirstStart => Interventions.Min(i => i.Start);
    /// <summary>The last day the YOT worked with the child, or null while a programme is open.</summary>
    public DateOnly? LastEnd => Interventions.Any(i => i.End is null) ? null : Interventions.Max(i => i.End);

    /// <summary>The ETE type open on a day (the first, if several are).</summary>
    public string? EteOn(DateOnly day) => Ete.FirstOrDefault(e => e.Start <= day && (e.End is null || e.End >= day))?.Type;
}

/// <summary>
/// The demo YOT's case records: about 510 children whose first programme started between January 2024 and June 2026,
/// their interventions, offences, victims, accommodation, ETE, SEND, health and care status, so every quarter from
/// 2024-Q3 to 2026-Q2 has orders ending. A handful of children are built by hand to carry the edge cases the KPI
/// rules talk about (listed in <see cref="EdgeCases"/>).
/// </summary>
internal sealed class DemoCohort
{
    public static readonly DateOnly ExtractedOn = new(2026, 7, 10);
    // The YOT moved to its current case management system in January 2024: cases start from then, and dated records
    // (accommodation, ETE, SEND, care status) that began before it were migrated with its go-live date.
    private static readonly DateOnly FirstReferral = new(2024, 1, 22);
    public static readonly DateOnly RecordsFrom = new(2024, 1, 2);

    private static DateOnly Floor(DateOnly d) => d < RecordsFrom ? RecordsFrom : d;
    private static readonly DateOnly LastReferral = new(2026, 6, 30);
    private const int Generated = 500;

    public static readonly Disposal Prevention = new("PREVENTION", 0, Route.Prevention, 84, 182, 28, "");
    private static readonly Disposal ReferralOrder = new("REFERRAL_ORDER", 30, Route.Court, 91, 365, 21, "FIRST_TIER");
    private static readonly Disposal Yro = new("YRO", 14, Route.Court, 182, 730, 0, "COMMUNITY");
    private static readonly Disposal Dto = new("CUSTODY_DTO", 2.5, Route.Court, 120, 730, 0, "CUSTODY", Custody: true);
    private static readonly Disposal S250 = new("CUSTODY_S250", 0.6, Route.Court, 730, 1460, 0, "CUSTODY", Custody: true);
    private static readonly Disposal CommunityResolution = new("COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT", 14, Route.OutOfCourt, 28, 84,
        14, "PRE_COURT");
    private static readonly Disposal YouthCaution = new("YOUTH_CAUTION", 7, Route.OutOfCourt, 28, 112, 14, "PRE_COURT");
    private static readonly Disposal Ycc = new("YOUTH_CONDITIONAL_CAUTION", 8, Route.OutOfCourt, 56, 112, 14, "PRE_COURT");
    private static readonly Disposal Nfa22 = new("NFA_OUTCOME_22_WITH_YJS_INVOLVEMENT", 5, Route.OutOfCourt, 42, 112, 14, "PRE_COURT");
    private static readonly Disposal Deferred = new("NFA_OUTCOME_22_DEFERRED_PROSECUTION_WITH_YJS_INVOLVEMENT", 3, Route.OutOfCourt, 56,
        112, 14, "PRE_COURT");
    private static readonly Disposal Nfa2021 = new("NFA_OUTCOME_20_21_WITH_YJS_INVOLVEMENT", 3, Route.OutOfCourt, 28, 84, 14, "PRE_COURT");

    // Out of court about 40%, referral orders about 30%, YROs about 15%, a few custodial sentences.
    private static readonly Disposal[] Disposals = [ReferralOrder, Yro, Dto, S250, CommunityResolution, YouthCaution, Ycc, Nfa22, Deferred,
        Nfa2021];

    // Age at the first programme's start: caseloads peak at 15-16.
    private static readonly (int Age, double Weight)[] Ages =
        [(10, 2), (11, 4), (12, 7), (13, 11), (14, 16), (15, 21), (16, 21), (17, 18)];

    private static readonly (string Code, double Weight)[] Sexes = [("1", 76), ("2", 23), ("9", 1)];

    private static readonly (string Category, double Weight, int Min, int Max)[] Categories =
    [
        ("VIOLENCE_AGAINST_THE_PERSON", 28, 3, 6), ("ROBBERY", 6, 5, 7), ("DRUGS", 10, 2, 6), ("SEXUAL", 2, 4, 7),
        ("BURGLARY", 5, 3, 6), ("THEFT", 15, 1, 3), ("CRIMINAL_DAMAGE", 10, 1, 3), ("MOTORING", 6, 1, 4),
        ("PUBLIC_ORDER", 8, 1, 3), ("WEAPONS", 6, 3, 5), ("OTHER", 4, 1, 3),
    ];

    public List<Child> Children { get; } = [];
    public List<Offence> Offences { get; } = [];
    public List<string[]> Victims { get; } = [];
    public List<(string CaseRef, string Note)> EdgeCases { get; } = [];

    private readonly DemoRandom rng;
    private readonly DemoIdentity ids;

    private DemoCohort(DemoRandom rng, DemoIdentity ids)
    {
        this.rng = rng;
        this.ids = ids;
    }

    public static DemoCohort Generate(int seed, DemoIdentity ids)
    {
        var cohort = new DemoCohort(new DemoRandom(seed), ids);
        cohort.Build();
        return cohort;
    }

    private void Build()
    {
        // Referrals arrive evenly; case references are numbered in order of referral within each year.
        var drafts = Enumerable.Range(0, Generated).Select(_ => rng.Between(FirstReferral, LastReferral)).Order().ToList();
        var perYear = new Dictionary<int, int>();
        foreach (var start in drafts) Children.Add(NewChild(CaseRef(start, perYear), start));
        foreach (var edge in EdgeChildren(perYear)) Children.Add(edge);

        // One or two sentences changed on appeal, which the KPIs must leave out.
        foreach (var child in Children.Where(c => c.Note is null
            && c.Interventions.Any(i => i.Disposal.Route == Route.Court && i.End is { } e && e >= new DateOnly(2026, 4, 1))).Take(2))
        {
            var k = child.Interventions.FindIndex(i => i.Disposal.Route == Route.Court);
            child.Interventions[k] = child.Interventions[k] with { ChangedOnAppeal = true };
            Edge(child, "court order changed on appeal (excluded from KPIs)");
        }

        // Intervention, offence and victim ids in file order.
        var n = 0;
        foreach (var child in Children)
            for (var k = 0; k < child.Interventions.Count; k++)
                child.Interventions[k] = child.Interventions[k] with { Id = $"INT-{++n:00000}" };
        foreach (var child in Children) Case(child);
    }

    private static string CaseRef(DateOnly start, Dictionary<int, int> perYear)
    {
        perYear[start.Year] = perYear.GetValueOrDefault(start.Year) + 1;
        return $"NB-{start.Year}-{perYear[start.Year]:0000}";
    }

    private void Edge(Child child, string note)
    {
        child.Note ??= note;
        EdgeCases.Add((child.CaseRef, note));
    }

    private Child NewChild(string caseRef, DateOnly start, int? age = null, Disposal? disposal = null, string? sex = null,
        bool? local = null)
    {
        sex ??= rng.Weighted(Sexes);
        age ??= rng.Weighted(Ages, a => a.Weight).Age;
        var dateOfBirth = start.AddYears(-age.Value).AddDays(-rng.Next(1, 365));
        local ??= rng.Chance(0.95);
        var (la, districts) = local.Value ? (DemoPeople.LocalLa, DemoPeople.LocalDistricts) : rng.Pick(DemoPeople.OtherAreas);
        var person = DemoPeople.NewPerson(rng, ids, la, dateOfBirth, sex);
        var child = new Child(caseRef, person, "", rng.Weighted(DemoPeople.Ethnicities), DemoPeople.Postcode(rng, rng.Pick(districts)),
            local.Value, ukDateOfBirth: rng.Chance(0.15));
        // Only young people who have started post-16 learning have a ULN, and the YOT knows it for about half of them.
        if (DemoPeople.PostSixteenFrom(dateOfBirth) <= ExtractedOn)
        {
            child.TrueUln = DemoCsv.Uln(rng, ids.Ulns);
            if (rng.Chance(0.5)) child.Uln = child.TrueUln;
        }
        // A few children came from outside England's school system and have no UPN on the YOT's record.
        if (rng.Chance(0.03)) child.Upn = "";

        disposal ??= age < 10 || rng.Chance(0.05) ? Prevention : rng.Weighted(Disposals, d => d.Weight);
        if (disposal.Custody && age < 14) disposal = Yro;
        child.Interventions.Add(NewIntervention(child, disposal, start));
        // About one child in five comes back: usually after the first programme has ended, sometimes while it is still running.
        if (disposal.Route != Route.Prevention && rng.Chance(0.22))
        {
            var first = child.Interventions[0];
            var next = rng.Chance(0.75) && first.End is { } end
                ? end.AddDays(rng.Next(30, 400))
                : first.Start.AddDays(rng.Next(30, 150));
            if (next <= LastReferral)
            {
                var again = rng.Chance(0.6) ? rng.Pick([ReferralOrder, Yro, Yro, Ycc, Dto]) : rng.Weighted(Disposals, d => d.Weight);
                if (again.Custody && DemoPeople.AgeOn(dateOfBirth, next) < 14) again = Yro;
                child.Interventions.Add(NewIntervention(child, again, next));
            }
        }
        return child;
    }

    private Intervention NewIntervention(Child child, Disposal disposal, DateOnly start, int? length = null, bool? completed = null)
    {
        length ??= rng.Next(disposal.MinDays, disposal.MaxDays + 1);
        var end = start.AddDays(length.Value);
        DateOnly? ended = end <= ExtractedOn ? end : null;
        var outcome = start.AddDays(-rng.Next(disposal.MaxLagDays + 1));
        bool? oocdCompleted = disposal.Route == Route.OutOfCourt && ended is not null ? completed ?? rng.Chance(0.85) : null;
        return new Intervention(child.CaseRef, "", disposal, outcome, start, ended, disposal.Route == Route.Court ? false : null,
            oocdCompleted);
    }

    /// <summary>Children built by hand, each carrying one of the edge cases the KPI rules name.</summary>
    private IEnumerable<Child> EdgeChildren(Dictionary<int, int> perYear)
    {
        // Turns 18 during a referral order that ends in 2026-Q2 (17 at its start: counted).
        var start = new DateOnly(2025, 10, 6);
        var c = NewChild(CaseRef(start, perYear), start, age: 17, disposal: ReferralOrder, sex: "1", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, ReferralOrder, start, length: 240));
        c = Rebirth(c, new DateOnly(2008, 2, 14));
        Edge(c, $"turns 18 on 2026-02-14 during a referral order ending {c.Interventions[0].End:yyyy-MM-dd} (17 at start: counted)");
        yield return c;

        // Already 18 when a YRO started (transferred late): not counted.
        start = new DateOnly(2025, 11, 3);
        c = NewChild(CaseRef(start, perYear), start, age: 17, disposal: Yro, sex: "1", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, Yro, start, length: 200));
        c = Rebirth(c, new DateOnly(2007, 9, 20));
        Edge(c, $"aged 18 at the start of a YRO ending {c.Interventions[0].End:yyyy-MM-dd} (outside 10-17: not counted)");
        yield return c;

        // A prevention case of a 9-year-old, ending in 2026-Q2: never counted.
        start = new DateOnly(2026, 1, 12);
        c = NewChild(CaseRef(start, perYear), start, age: 9, disposal: Prevention, sex: "2", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, Prevention, start, length: 120));
        Edge(c, $"prevention programme of a 9-year-old ending {c.Interventions[0].End:yyyy-MM-dd} (never counted)");
        yield return c;

        // Two orders ending in 2026-Q2: a referral order and a YRO (the YRO is the one counted).
        start = new DateOnly(2025, 7, 14);
        c = NewChild(CaseRef(start, perYear), start, age: 15, disposal: ReferralOrder, sex: "1", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, ReferralOrder, start, length: 300));
        c.Interventions.Add(NewIntervention(c, Yro, new DateOnly(2025, 11, 24), length: 200));
        Edge(c, $"two orders ending in 2026-Q2: referral order ({c.Interventions[0].End:yyyy-MM-dd}) and YRO " +
            $"({c.Interventions[1].End:yyyy-MM-dd}); the YRO counts");
        yield return c;

        // Two out-of-court programmes ending in 2026-Q2: a YCC (not completed) and a community resolution (completed).
        start = new DateOnly(2026, 1, 19);
        c = NewChild(CaseRef(start, perYear), start, age: 14, disposal: Ycc, sex: "2", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, CommunityResolution, start, length: 84, completed: true));
        c.Interventions.Add(NewIntervention(c, Ycc, new DateOnly(2026, 3, 2), length: 112, completed: false));
        Edge(c, $"two out-of-court programmes ending in 2026-Q2: community resolution ({c.Interventions[0].End:yyyy-MM-dd}, completed) " +
            $"and YCC ({c.Interventions[1].End:yyyy-MM-dd}, not completed); the YCC counts");
        yield return c;

        // A custodial sentence (DTO) ending in 2026-Q2: custody at start, home at end.
        start = new DateOnly(2025, 10, 2);
        c = NewChild(CaseRef(start, perYear), start, age: 16, disposal: Dto, sex: "1", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, Dto, start, length: 240));
        Edge(c, $"DTO {start:yyyy-MM-dd}..{c.Interventions[0].End:yyyy-MM-dd}: in custody for the first half (accommodation at start is " +
            $"judged the day before)");
        yield return c;

        // Supervised for another YOT (not a local resident): left out of the KPIs.
        start = new DateOnly(2025, 12, 1);
        c = NewChild(CaseRef(start, perYear), start, age: 15, disposal: ReferralOrder, sex: "1", local: false);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, ReferralOrder, start, length: 182));
        Edge(c, $"not a local resident (local_resident N), referral order ending {c.Interventions[0].End:yyyy-MM-dd}: left out of KPIs");
        yield return c;

        // Two accommodation records open at once, one unsuitable: not suitable at end.
        start = new DateOnly(2025, 9, 15);
        c = NewChild(CaseRef(start, perYear), start, age: 16, disposal: Yro, sex: "1", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, Yro, start, length: 270));
        Edge(c, $"two accommodation records open at the YRO's end ({c.Interventions[0].End:yyyy-MM-dd}): supported (suitable) and with " +
            $"parents (unsuitable)");
        yield return c;

        start = new DateOnly(2025, 11, 10);
        c = NewChild(CaseRef(start, perYear), start, age: 17, disposal: ReferralOrder, sex: "2", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, ReferralOrder, start, length: 200));
        Edge(c, $"two accommodation records open at the order's end ({c.Interventions[0].End:yyyy-MM-dd}): temporary (unsuitable) and " +
            $"with friends (suitable)");
        yield return c;

        // Bed and breakfast, then no fixed abode at the end of the order.
        start = new DateOnly(2025, 12, 8);
        c = NewChild(CaseRef(start, perYear), start, age: 17, disposal: Yro, sex: "1", local: true);
        c.Interventions.Clear();
        c.Interventions.Add(NewIntervention(c, Yro, start, length: 190));
        Edge(c, $"bed and breakfast, then no fixed abode at the YRO's end ({c.Interventions[0].End:yyyy-MM-dd}); NEET at end");
        yield return c;
    }

    /// <summary>The same child with a chosen date of birth (the edge cases need exact ages).</summary>
    private Child Rebirth(Child c, DateOnly dateOfBirth)
    {
        var person = c.Person with { DateOfBirth = dateOfBirth };
        ids.NameKeys.Add(person.NameKey);
        var copy = new Child(c.CaseRef, person, c.Uln, c.Ethnicity, c.Postcode, c.LocalResident, c.UkDateOfBirth) { TrueUln = c.TrueUln
            ?? DemoCsv.Uln(rng, ids.Ulns), Upn = c.Upn };
        copy.Interventions.AddRange(c.Interventions);
        return copy;
    }

    // ---- Each child's case: offences, victims, accommodation, ETE, SEND, health, care status ------------------

    private void Case(Child child)
    {
        foreach (var i in child.Interventions.Where(i => i.Disposal.Route != Route.Prevention)) OffencesFor(child, i);
        // About one child in thirty also has a proven offence dealt with by a fine or discharge: no YJS programme.
        if (child.Interventions.All(i => i.Disposal.Route != Route.Prevention) && rng.Chance(0.03))
        {
            var outcome = rng.Between(child.FirstStart.AddDays(30), LastReferral);
            Offences.Add(new Offence(child.CaseRef, $"OFF-{Offences.Count + 1:00000}", null, outcome.AddDays(-rng.Next(20, 90)), outcome,
                rng.Pick(["MOTORING", "THEFT", "PUBLIC_ORDER"]), rng.Next(1, 4), "FIRST_TIER"));
        }
        Accommodation(child);
        Send(child);
        Ete(child);
        Health(child);
        Care(child);
    }

    private void OffencesFor(Child child, Intervention i)
    {
        var count = rng.Weighted([(1, 70.0), (2, 22.0), (3, 8.0)], x => x.Item2).Item1;
        var offenceDate =
            i.OutcomeDate.AddDays(-rng.Next(i.Disposal.Route == Route.Court ? 30 : 7, i.Disposal.Route == Route.Court ? 200 : 60));
        var made = new List<(string Id, string Category)>();
        for (var k = 0; k < count; k++)
        {
            var (category, _, min, max) = rng.Weighted(Categories, c => c.Weight);
            var score = rng.Next(min, max + 1);
            if (i.Disposal.Route == Route.OutOfCourt) score = Math.Min(score, rng.Chance(0.1) ? 5 : 4);
            if (i.Disposal.Custody) score = Math.Min(8, score + rng.Next(1, 3));
            var id = $"OFF-{Offences.Count + 1:00000}";
            Offences.Add(new Offence(child.CaseRef, id, i.Id, offenceDate, i.OutcomeDate, category, score, i.Disposal.OutcomeGroup));
            made.Add((id, category));
        }
        VictimsFor(child, i, made);
    }

    private static readonly string[] PersonalVictim = ["VIOLENCE_AGAINST_THE_PERSON", "ROBBERY", "SEXUAL"];
    private static readonly string[] PropertyVictim = ["BURGLARY", "THEFT", "CRIMINAL_DAMAGE"];

    private void VictimsFor(Child child, Intervention i, List<(string Id, string Category)> offences)
    {
        string? shared = null;
        foreach (var (offenceId, category) in offences)
        {
            var personal = PersonalVictim.Contains(category);
            if (!personal && !PropertyVictim.Contains(category) && !(category == "PUBLIC_ORDER" && rng.Chance(0.3))) continue;
            var victims = rng.Chance(0.12) ? 2 : 1;
            for (var v = 0; v < victims; v++)
            {
                // The same person harmed by two offences of one incident is one victim on two rows.
                var id = v == 0 && personal && shared is not null ? shared : $"VIC-{Victims.Count + 1:00000}";
                if (personal && v == 0) shared ??= id;
                var type = personal ? "INDIVIDUAL" : rng.Weighted([("INDIVIDUAL", 45), ("BUSINESS", 50), ("OTHER", 5)]);
                var consented = rng.Chance(0.55);
                string[] row;
                if (!consented)
                    row = [child.CaseRef, offenceId, id, type, "N", "", "", "", "", "", ""];
                else
                {
                    var progress = rng.Chance(0.5);
                    var support = rng.Chance(type == "INDIVIDUAL" ? 0.45 : 0.15);
                    row =
                    [
                        child.CaseRef, offenceId, id, type, "Y", DemoCsv.Flag(rng.Chance(i.Disposal.Route == Route.OutOfCourt ? 0.8 : 0.7)),
                        DemoCsv.Flag(progress), progress ? DemoCsv.Flag(rng.Chance(0.85)) : "",
                        DemoCsv.Flag(support), support ? DemoCsv.Flag(rng.Chance(0.9)) : "",
                        DemoCsv.Flag(rng.Chance(type == "INDIVIDUAL" ? 0.3 : 0.15)),
                    ];
                }
                Victims.Add(row);
            }
        }
    }

    private static readonly (string Code, double Weight)[] HomesUnderSixteen =
        [("LIVING_WITH_PARENTS", 72), ("LIVING_WITH_FAMILY", 12), ("FOSTER_CARE", 10), ("RESIDENTIAL_UNIT", 4), ("OTHER", 2)];
    private static readonly (string Code, double Weight)[] HomesSixteenPlus =
    [
        ("LIVING_WITH_PARENTS", 58), ("LIVING_WITH_FAMILY", 11), ("FOSTER_CARE", 6), ("SUPPORTED_ACCOMMODATION", 10),
            ("RESIDENTIAL_UNIT", 3),
        ("LIVING_WITH_FRIENDS", 3), ("TEMPORARY_ACCOMMODATION", 4), ("INDEPENDENT_LIVING", 2), ("BED_AND_BREAKFAST", 1.5),
            ("NO_FIXED_ABODE", 1.5),
    ];

    private string HomeSuitability(string type) => type switch
    {
        "BED_AND_BREAKFAST" or "NO_FIXED_ABODE" => "UNSUITABLE",
        "TEMPORARY_ACCOMMODATION" => rng.Chance(0.6) ? "UNSUITABLE" : "SUITABLE",
        _ => rng.Weighted([("SUITABLE", 88), ("UNSUITABLE", 8), ("UNKNOWN", 4)]),
    };

    private void Accommodation(Child child)
    {
        var from = Floor(child.FirstStart.AddDays(-rng.Next(30, 400)));
        var to = child.LastEnd;
        var custody = child.Interventions.FirstOrDefault(i => i.Disposal.Custody);
        string Home(DateOnly day) => rng.Weighted(DemoPeople.AgeOn(child.Person.DateOfBirth, day) < 16 ? HomesUnderSixteen
            : HomesSixteenPlus);

        if (child.Note?.StartsWith("two accommodation records open at the YRO", StringComparison.Ordinal) == true)
        {
            child.Accommodation.Add(new(from, null, "LIVING_WITH_PARENTS", "UNSUITABLE"));
            child.Accommodation.Add(new(new DateOnly(2026, 3, 9), null, "SUPPORTED_ACCOMMODATION", "SUITABLE"));
            return;
        }
        if (child.Note?.StartsWith("two accommodation records open at the order", StringComparison.Ordinal) == true)
        {
            child.Accommodation.Add(new(from, new DateOnly(2026, 2, 1), "LIVING_WITH_PARENTS", "SUITABLE"));
            child.Accommodation.Add(new(new DateOnly(2026, 2, 2), null, "TEMPORARY_ACCOMMODATION", "UNSUITABLE"));
            child.Accommodation.Add(new(new DateOnly(2026, 4, 20), null, "LIVING_WITH_FRIENDS", "SUITABLE"));
            return;
        }
        if (child.Note?.StartsWith("bed and breakfast", StringComparison.Ordinal) == true)
        {
            child.Accommodation.Add(new(from, new DateOnly(2026, 3, 1), "LIVING_WITH_PARENTS", "SUITABLE"));
            child.Accommodation.Add(new(new DateOnly(2026, 3, 2), new DateOnly(2026, 4, 26), "BED_AND_BREAKFAST", "UNSUITABLE"));
            child.Accommodation.Add(new(new DateOnly(2026, 4, 27), null, "NO_FIXED_ABODE", "UNSUITABLE"));
            return;
        }
        if (custody is not null)
        {
            var release = custody.Release!.Value;
            if (release > LastReferral)
            {
                var before = Home(from);
                child.Accommodation.Add(new(from, custody.Start.AddDays(-1), before, HomeSuitability(before)));
                child.Accommodation.Add(new(custody.Start, null, child.Person.Sex == "2" ? "STC" : "YOI", "SUITABLE"));
                return;
            }
            var age = DemoPeople.AgeOn(child.Person.DateOfBirth, custody.Start);
            var secure = age < 15 ? rng.Pick(["SCH", "STC"]) : child.Person.Sex == "2" ? "STC"
                : rng.Weighted([("YOI", 65), ("STC", 30), ("SCH", 5)]);
            var home = Home(from);
            child.Accommodation.Add(new(from, custody.Start.AddDays(-1), home, HomeSuitability(home)));
            child.Accommodation.Add(new(custody.Start, release, secure, "SUITABLE"));
            var after = Home(release);
            child.Accommodation.Add(new(release.AddDays(1), null, after, HomeSuitability(after)));
            return;
        }

        var first = Home(from);
        // About one child in four moves during the case: sometimes into B&B or with no fixed abode for a while.
        var end = to ?? LastReferral;
        if (rng.Chance(0.25) && end.DayNumber - child.FirstStart.DayNumber > 40)
        {
            var move = rng.Between(child.FirstStart.AddDays(10), end.AddDays(-10));
            if (move > LastReferral) move = LastReferral;
            child.Accommodation.Add(new(from, move.AddDays(-1), first, HomeSuitability(first)));
            if (DemoPeople.AgeOn(child.Person.DateOfBirth, move) >= 16 && rng.Chance(0.2))
            {
                var crisis = rng.Chance(0.5) ? "BED_AND_BREAKFAST" : "NO_FIXED_ABODE";
                var back = move.AddDays(rng.Next(7, 45));
                child.Accommodation.Add(new(move, back.AddDays(-1), crisis, "UNSUITABLE"));
                move = back;
            }
            var next =
                rng.Weighted([("LIVING_WITH_FAMILY", 30), ("FOSTER_CARE", 20), ("SUPPORTED_ACCOMMODATION", 25),
                ("TEMPORARY_ACCOMMODATION", 15), ("LIVING_WITH_PARENTS", 10)]);
            child.Accommodation.Add(new(move, null, next, HomeSuitability(next)));
        }
        else
        {
            // Closed a while after the case closed, when the record was tidied; most stay open.
            DateOnly? closed = to is { } t && rng.Chance(0.3) && t.AddDays(60) <= ExtractedOn ? t.AddDays(rng.Next(1, 60)) : null;
            child.Accommodation.Add(new(from, closed, first, HomeSuitability(first)));
        }
    }

    private static readonly (string Code, double Weight)[] SchoolAgeEte =
        [("SCHOOL_FULL_TIME", 62), ("SCHOOL_PART_TIME", 10), ("AP_PRU", 11), ("AP_OTHER", 5), ("ELECTIVELY_HOME_EDUCATED", 3), ("NONE", 6),
            ("OTHER", 3)];
    private static readonly (string Code, double Weight)[] PostSixteenEte =
    [
        ("COLLEGE", 35), ("APPRENTICESHIP", 7), ("TRAINEESHIP", 4), ("RE_ENGAGEMENT_PROGRAMME", 12), ("EMPLOYMENT_FULL_TIME", 4),
        ("EMPLOYMENT_PART_TIME", 5), ("VOLUNTARY_WORK", 2), ("SUPPORTED_INTERNSHIP", 1), ("OTHER", 2), ("NONE", 28),
    ];

    private Spell EteSpell(DateOnly start, DateOnly? end, string type)
    {
        (double From, double To)? offered = type switch
        {
            "SCHOOL_FULL_TIME" => (25, 25), "SCHOOL_PART_TIME" => (6, 15), "AP_PRU" => (15, 25), "AP_OTHER" => (10, 20),
            "COLLEGE" => (12, 18), "APPRENTICESHIP" => (30, 37.5), "TRAINEESHIP" => (20, 30), "RE_ENGAGEMENT_PROGRAMME" => (6, 16),
            "EMPLOYMENT_FULL_TIME" => (35, 40), "EMPLOYMENT_PART_TIME" => (10, 20), "VOLUNTARY_WORK" => (4, 10),
            "SUPPORTED_INTERNSHIP" => (16, 25), "OTHER" => (5, 20), _ => null,
        };
        var suitability = type switch
        {
            "NONE" => "UNSUITABLE",
            "ELECTIVELY_HOME_EDUCATED" => rng.Chance(0.5) ? "UNKNOWN" : "SUITABLE",
            "SCHOOL_PART_TIME" => rng.Chance(0.6) ? "UNSUITABLE" : "SUITABLE",
            _ => rng.Weighted([("SUITABLE", 88), ("UNSUITABLE", 8), ("UNKNOWN", 4)]),
        };
        if (offered is not { } o) return new Spell(start, end, type, suitability, type == "NONE" ? 0 : null, type == "NONE" ? 0 : null);
        var hours = rng.HalfHours(o.From, o.To);
        var attended = Math.Min(hours, rng.HalfHours(hours * (rng.Chance(0.25) ? 0.2 : 0.6), hours));
        return new Spell(start, end, type, suitability, hours, rng.Chance(0.08) ? null : attended);
    }

    private void Ete(Child child)
    {
        var from = Floor(child.FirstStart.AddDays(-rng.Next(14, 300)));
        var to = child.LastEnd is { } last && rng.Chance(0.4) ? last.AddDays(rng.Next(1, 30)) : (DateOnly?)null;
        if (to > ExtractedOn) to = null;
        var dob = child.Person.DateOfBirth;
        var sixteen = DemoPeople.PostSixteenFrom(dob);

        if (child.Note?.StartsWith("bed and breakfast", StringComparison.Ordinal) == true)
        {
            child.Ete.Add(EteSpell(from, new DateOnly(2026, 2, 27), "COLLEGE"));
            child.Ete.Add(EteSpell(new DateOnly(2026, 3, 2), null, "NONE"));
            return;
        }

        var segments = new List<(DateOnly From, DateOnly? To, bool School)>();
        if (sixteen > ExtractedOn) segments.Add((from, to, true));
        else if (from < new DateOnly(sixteen.Year, 7, 1) && (to is null || to >= sixteen))
        {
            segments.Add((from, new DateOnly(sixteen.Year, 7, 20), true));
            segments.Add((sixteen, to, false));
        }
        else segments.Add((from, to, from < new DateOnly(sixteen.Year, 7, 1)));
        if (segments[^1].From > ExtractedOn) segments.RemoveAt(segments.Count - 1);

        foreach (var (start, end, school) in segments)
        {
            var type = rng.Weighted(school ? SchoolAgeEte : PostSixteenEte);
            if (child.SendStatus == SendStatus.Ehcp && !school && rng.Chance(0.2)) type = "SUPPORTED_INTERNSHIP";
            // About one in five changes provision part way: a school place breaks down and the child moves to a PRU
            // (after a permanent exclusion), or a college course ends and the young person is NEET for a while.
            var changeBy = end ?? ExtractedOn;
            if (rng.Chance(0.2) && changeBy.DayNumber - start.DayNumber > 90)
            {
                var change = rng.Between(start.AddDays(45), changeBy.AddDays(-30));
                while (change.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) change = change.AddDays(1);
                var next = school
                    ? (type is "SCHOOL_FULL_TIME" or "SCHOOL_PART_TIME" ? "AP_PRU" : "SCHOOL_PART_TIME")
                    : (type == "NONE" ? rng.Pick(["RE_ENGAGEMENT_PROGRAMME", "COLLEGE", "EMPLOYMENT_PART_TIME"]) : "NONE");
                if (school && next == "AP_PRU") child.ExcludedToPru = change;
                child.Ete.Add(EteSpell(start, change.AddDays(-1), type));
                child.Ete.Add(EteSpell(change, end, next));
            }
            else child.Ete.Add(EteSpell(start, end, type));
        }
        // A few part-time timetables are topped up with alternative provision: two records open at once.
        var partTime = child.Ete.FirstOrDefault(e => e.Type == "SCHOOL_PART_TIME");
        if (partTime is not null && rng.Chance(0.3))
        {
            var topUp = partTime.Start.AddDays(rng.Next(0, 21));
            if (partTime.End is null || partTime.End > topUp) child.Ete.Add(EteSpell(topUp, partTime.End, "AP_OTHER"));
        }
    }

    private void Send(Child child)
    {
        // About a third of children in youth justice have an identified SEND need; about a third of those an EHC plan.
        var r = rng.NextDouble();
        child.SendStatus = r < 0.13 ? SendStatus.Ehcp : r < 0.36 ? SendStatus.Need : r < 0.70 ? SendStatus.NoNeed : SendStatus.NotAssessed;
        var from = Floor(child.FirstStart.AddDays(-rng.Next(0, 500)));
        string[] Row(DateOnly start, DateOnly? end, bool need, bool plan, string planType) =>
            [child.CaseRef, DemoCsv.Date(start), DemoCsv.Date(end), DemoCsv.Flag(need), DemoCsv.Flag(plan), planType];
        switch (child.SendStatus)
        {
            case SendStatus.NoNeed: child.Send.Add(Row(Min(child.FirstStart.AddDays(rng.Next(0, 28)), LastReferral), null, false, false,
                "")); break;
            case SendStatus.Need: child.Send.Add(Row(from, null, true, false, "")); break;
            case SendStatus.Ehcp when rng.Chance(0.3) && child.FirstStart.AddDays(60) < LastReferral:
                // Need identified first, the plan agreed later: two records, one after the other.
                var plan = rng.Between(child.FirstStart.AddDays(20), Min(child.FirstStart.AddDays(300), LastReferral));
                child.Send.Add(Row(from, plan.AddDays(-1), true, false, ""));
                child.Send.Add(Row(plan, null, true, true, "EHCP"));
                break;
            case SendStatus.Ehcp: child.Send.Add(Row(from, null, true, true, rng.Chance(0.95) ? "EHCP" : "OTHER")); break;
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static readonly (string Code, double Weight)[] MentalHealthTypes =
        [("GETTING_ADVICE", 25), ("GETTING_HELP", 40), ("GETTING_ADDITIONAL_HELP", 25), ("GETTING_RISK_SUPPORT", 10)];
    private static readonly (string Code, double Weight)[] SubstanceTypes =
        [("TARGETED_INTERVENTION", 65), ("SPECIALIST_TREATMENT", 28), ("COMPLEX_CARE", 7)];

    private void Health(Child child)
    {
        foreach (var i in child.Interventions.Where(i => i.Disposal.Route != Route.Prevention))
        {
            HealthRow(child, i, "MENTAL_HEALTH", screened: 0.88, need: 0.45, MentalHealthTypes);
            HealthRow(child, i, "SUBSTANCE_MISUSE", screened: 0.85, need: 0.33, SubstanceTypes);
        }
    }

    private void HealthRow(Child child, Intervention i, string area, double screened, double need, (string Code, double Weight)[] types)
    {
        // Already in treatment when the programme started (a CAMHS case, a substance misuse worker): counted as offered.
        if (rng.Chance(0.04))
        {
            var began = i.Start.AddDays(-rng.Next(30, 200));
            child.Health.Add([child.CaseRef, area, DemoCsv.Date(began.AddDays(-20)), DemoCsv.Date(began.AddDays(-14)),
                DemoCsv.Date(began.AddDays(-7)),
                DemoCsv.Date(began), "", rng.Weighted(types)]);
            return;
        }
        if (!rng.Chance(screened))
        {
            if (rng.Chance(0.3)) child.Health.Add([child.CaseRef, area, "", "", "", "", "", ""]); // recorded, never screened
            return;
        }
        var screenedOn = i.Start.AddDays(rng.Next(0, 42));
        if (screenedOn > ExtractedOn) return;
        if (!rng.Chance(need))
        {
            child.Health.Add([child.CaseRef, area, DemoCsv.Date(screenedOn), "", "", "", "", "NO_INTERVENTION"]);
            return;
        }
        var referred = screenedOn.AddDays(rng.Next(0, 14));
        DateOnly? offered = rng.Chance(0.82) ? referred.AddDays(rng.Next(3, 35)) : null;
        DateOnly? started = offered is { } o && rng.Chance(0.78) ? o.AddDays(rng.Next(0, 15)) : null;
        DateOnly? finished = started is { } s && rng.Chance(0.6) ? s.AddDays(rng.Next(28, 150)) : null;
        if (referred > ExtractedOn) return;
        if (offered > ExtractedOn) offered = started = finished = null;
        if (started > ExtractedOn) started = finished = null;
        if (finished > ExtractedOn) finished = null;
        child.Health.Add([child.CaseRef, area, DemoCsv.Date(screenedOn), DemoCsv.Date(referred), DemoCsv.Date(offered),
            DemoCsv.Date(started),
            DemoCsv.Date(finished), offered is null ? "" : rng.Weighted(types)]);
    }

    private void Care(Child child)
    {
        var first = child.FirstStart;
        DateOnly? Ended(DateOnly start, int minDays, int maxDays)
        {
            var end = start.AddDays(rng.Next(minDays, maxDays));
            return end <= ExtractedOn && rng.Chance(0.6) ? end : null;
        }
        var r = rng.NextDouble();
        if (r < 0.12)
        {
            // Looked after: most long before the first programme; some came into care during it, from child in need.
            if (rng.Chance(0.7)) child.Care.Add(new(Floor(first.AddDays(-rng.Next(60, 2500))), null, "LOOKED_AFTER", ""));
            else
            {
                var lac = rng.Between(first.AddDays(10), Min(first.AddDays(200), LastReferral));
                child.Care.Add(new(Floor(first.AddDays(-rng.Next(30, 400))), lac.AddDays(-1), "CHILD_IN_NEED", ""));
                child.Care.Add(new(lac, null, "LOOKED_AFTER", ""));
            }
        }
        else if (r < 0.17)
        {
            var start = Floor(first.AddDays(-rng.Next(-60, 300)));
            if (start > LastReferral) start = first;
            child.Care.Add(new(start, Ended(start, 120, 500), "CHILD_PROTECTION_PLAN", ""));
        }
        else if (r < 0.31)
        {
            var start = Floor(first.AddDays(-rng.Next(-60, 500)));
            if (start > LastReferral) start = first;
            child.Care.Add(new(start, Ended(start, 90, 600), "CHILD_IN_NEED", ""));
        }
        else if (r < 0.39)
        {
            var start = Floor(first.AddDays(-rng.Next(-40, 200)));
            if (start > LastReferral) start = first;
            child.Care.Add(new(start, Ended(start, 90, 300), "EARLY_HELP_PLAN", ""));
        }
        else if (r < 0.49)
        {
            // An early help referral: before the programme started, or made by the YOT after it started.
            var start = rng.Chance(0.5) ? Floor(first.AddDays(-rng.Next(5, 200))) : first.AddDays(rng.Next(1, 60));
            if (start > LastReferral) start = first;
            var end = start.AddDays(rng.Next(7, 40));
            child.Care.Add(new(start, end <= ExtractedOn ? end : null, "EARLY_HELP_REFERRAL", ""));
            if (end < LastReferral && rng.Chance(0.5)) child.Care.Add(new(end.AddDays(1), Ended(end.AddDays(1), 90, 300), "EARLY_HELP_PLAN",
                ""));
        }
    }
}
