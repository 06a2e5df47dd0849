using System.Buffers;
using System.Globalization;
using System.Text;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Cli.Demo;

/// <summary>One synthetic drop written to disk: who sends it, its drop type, and where the CSV is.</summary>
public sealed record DemoDrop(string Provider, string DropType, string Path);

/// <summary>
/// Synthetic data for a demo YOT and four schools in <see cref="Period"/>: about 300 children with their
/// interventions, and the session marks of the schools' pupils, some of them in the cohort. Everything is made up
/// but shaped like the real thing (valid UPN check letters, DfE codes, term dates, absence patterns), with a few
/// deliberately bad rows so receipts have line-precise errors to show. The same seed always gives byte-identical files.
/// </summary>
public static class DemoData
{
    public const string Yot = "demo-yot";
    public static readonly Quarter Period = new(2026, 2);

    private const string YotName = "Northbridge Youth Justice Service";
    private const string ChildrenDrop = "yot-children";
    private const string InterventionsDrop = "yot-interventions";
    private const string AttendanceDrop = "school-attendance";
    private const int CohortSize = 300;

    private static readonly string[] ChildrenColumns =
        ["yot_case_ref", "upn", "uln", "legal_surname", "legal_forename", "date_of_birth", "sex", "ethnicity", "postcode", "local_resident"];
    private static readonly string[] InterventionColumns =
        ["yot_case_ref", "intervention_id", "disposal_type", "legal_outcome_date", "start_date", "end_date", "changed_on_appeal", "oocd_completed"];
    private static readonly string[] AttendanceColumns =
        ["upn", "legal_surname", "legal_forename", "date_of_birth", "urn", "session_date", "session", "attendance_code"];

    // The YOT and the schools export a week after the quarter ends; anything ending after that is still open.
    private static readonly DateOnly ExtractedOn = new(2026, 7, 10);
    private static readonly DateOnly MidQuarter = new(2026, 5, 15);

    // Easter holidays (with Good Friday and Easter Monday), the early-May bank holiday, and May half term (with the spring bank holiday).
    private static readonly (DateOnly From, DateOnly To)[] Holidays =
        [(new(2026, 4, 3), new(2026, 4, 17)), (new(2026, 5, 4), new(2026, 5, 4)), (new(2026, 5, 25), new(2026, 5, 29))];

    // Compulsory school age ends on the last Friday in June of year 11; after it year 11 are marked X (not required to attend).
    private static readonly DateOnly SchoolLeavingDate = new(2026, 6, 26);

    // The academic year the quarter falls in starts in September 2025: it fixes every pupil's year group.
    private const int AcademicYear = 2025;

    private static readonly School ShortStaySchool =
        new("school-harrow-lane-short-stay", "Harrow Lane Short Stay School", "133842", Weight: 15, UkDates: false, ClosedOn: null);

    private static readonly School[] Schools =
    [
        // Used as a polling station for the local elections on 7 May 2026: closed, marked # for everyone.
        new("school-northbridge-academy", "Northbridge Academy", "148213", Weight: 32, UkDates: false, ClosedOn: new(2026, 5, 7)),
        // Its MIS exports every date as DD/MM/YYYY.
        new("school-st-aidans-catholic-high", "St Aidan's Catholic High School", "108117", Weight: 25, UkDates: true, ClosedOn: null),
        new("school-millfield-community", "Millfield Community School", "107995", Weight: 28, UkDates: false, ClosedOn: null),
        ShortStaySchool,
    ];

    public static IReadOnlyList<Agreement> Agreements() =>
    [
        NewAgreement("ISA-DEMO-YOT-2026",
            new AgreementProvider { Id = Yot, Kind = "yot", Name = YotName },
            $"Case-level data on the children supervised by {YotName}, so that its management board can monitor the YJB " +
            "key performance indicators and link the children's school attendance.",
            "Crime and Disorder Act 1998 s.39 and s.115; UK GDPR Art 6(1)(e); ethnicity under Art 9(2)(g) and " +
            "Data Protection Act 2018 Sch 1 para 6 (statutory purposes).",
            new AgreedDropType { DropType = ChildrenDrop, Columns = [.. ChildrenColumns] },
            new AgreedDropType { DropType = InterventionsDrop, Columns = [.. InterventionColumns] }),
        .. Schools.Select(s => NewAgreement($"ISA-DEMO-SCH-{s.Urn}",
            new AgreementProvider { Id = s.Provider, Kind = "school", Name = s.Name, Urn = s.Urn },
            $"Session attendance of pupils on roll at {s.Name}, so that the {YotName} management board can monitor the " +
            "education of children under youth justice supervision; rows of other pupils are discarded at the gate.",
            "Crime and Disorder Act 1998 s.115; Children Act 2004 s.10; UK GDPR Art 6(1)(e).",
            // Forenames are not needed to link a pupil by UPN, so schools do not share them: receipts list the column as not shared.
            new AgreedDropType { DropType = AttendanceDrop, Columns = AttendanceColumns.Where(c => c != "legal_forename").ToArray() })),
    ];

    /// <summary>Writes the drops as <c>{directory}/{provider}/{dropType}.csv</c> and returns them in the order to ingest them.</summary>
    public static IReadOnlyList<DemoDrop> Write(string directory, int seed = 2026)
    {
        var generator = new Generator(new Random(seed));
        var children = generator.Children();
        var interventions = generator.Interventions(children);
        var days = SchoolDays();
        var enrolments = generator.Enrolments(children, days);

        var drops = new List<DemoDrop>
        {
            WriteDrop(directory, Yot, ChildrenDrop, ChildrenColumns,
                generator.Spoil(children.Select(ChildRow).ToList(), ChildrenColumns, ChildrenFaults())),
            WriteDrop(directory, Yot, InterventionsDrop, InterventionColumns,
                generator.Spoil(interventions.Select(InterventionRow).ToList(), InterventionColumns, InterventionFaults())),
        };
        foreach (var school in Schools)
        {
            var rows = AttendanceRows(school, enrolments.Where(e => e.School == school), days);
            drops.Add(WriteDrop(directory, school.Provider, AttendanceDrop, AttendanceColumns,
                generator.Spoil(rows, AttendanceColumns, AttendanceFaults(school))));
        }
        return drops;
    }

    private static Agreement NewAgreement(string id, AgreementProvider provider, string purpose, string lawfulBasis, params AgreedDropType[] dropTypes) => new()
    {
        Id = id,
        Provider = provider,
        Yot = Yot,
        Purpose = purpose,
        LawfulBasis = lawfulBasis,
        ValidFrom = new DateOnly(2026, 1, 1),
        ValidTo = new DateOnly(2027, 12, 31),
        DropTypes = dropTypes,
        Retention = new RetentionPolicy { RawDropDays = 30, QuarantineDays = 30, CuratedDays = 2555 },
        RowErrorThreshold = 0.05,
    };

    // ---- Rows -------------------------------------------------------------------------------------------------

    private static string[] ChildRow(Child c) =>
    [
        c.CaseRef, c.Person.Upn, c.Uln, c.Person.Surname, c.Person.Forename, DateText(c.Person.DateOfBirth, c.UkDateOfBirth),
        c.Sex, c.Ethnicity, c.Postcode, Flag(c.LocalResident),
    ];

    private static string[] InterventionRow(Intervention i) =>
    [
        i.CaseRef, i.Id, i.Disposal.Code, DateText(i.OutcomeDate), DateText(i.Start),
        i.End is { } end ? DateText(end) : "", Flag(i.ChangedOnAppeal), Flag(i.OocdCompleted),
    ];

    /// <summary>The school's register export: pupil by pupil (alphabetical, as an MIS lists them), then day by day.</summary>
    private static List<string[]> AttendanceRows(School school, IEnumerable<Enrolment> enrolments, IReadOnlyList<DateOnly> days)
    {
        var rows = new List<string[]>();
        var ordered = enrolments.OrderBy(e => e.Pupil.Person.Surname, StringComparer.Ordinal)
            .ThenBy(e => e.Pupil.Person.Forename, StringComparer.Ordinal)
            .ThenBy(e => e.Pupil.Person.Upn, StringComparer.Ordinal);
        foreach (var e in ordered)
        {
            var p = e.Pupil.Person;
            var dateOfBirth = DateText(p.DateOfBirth, e.UkDateOfBirth);
            for (var d = 0; d < days.Count; d++)
            {
                var sessionDate = DateText(days[d], school.UkDates);
                for (var s = 0; s < 2; s++)
                {
                    // A dual-registered pupil is marked D (not possible) on the days the other school is responsible for.
                    var code = e.Days is { } own && !own.Contains(days[d].DayOfWeek) ? "D"
                        : days[d] == school.ClosedOn ? "#"
                        : e.Pupil.Marks[2 * d + s];
                    rows.Add([p.Upn, p.Surname, p.Forename, dateOfBirth, school.Urn, sessionDate, s == 0 ? "AM" : "PM", code]);
                }
            }
        }
        return rows;
    }

    // ---- Deliberate mistakes: the kinds a receipt must point at by line --------------------------------------

    private static Fault[] ChildrenFaults() =>
    [
        new("upn", (upn, _) => WrongCheckLetter(upn)),
        new("date_of_birth", (_, _) => "31/04/2011"),
        new("ethnicity", (_, _) => ""),
    ];

    private static Fault[] InterventionFaults()
    {
        var start = Array.IndexOf(InterventionColumns, "start_date");
        return
        [
            // Keyed in as the date the order was made rather than when it ended: a fortnight before the start.
            new("end_date", (_, row) => DateText(DateOnly.ParseExact(row[start], "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(-14))),
            new("legal_outcome_date", (_, _) => "2026-13-01"),
            new("disposal_type", (_, _) => ""),
        ];
    }

    private static Fault[] AttendanceFaults(School school) =>
    [
        new("upn", (upn, _) => WrongCheckLetter(upn)),
        new("upn", (upn, _) => WrongCheckLetter(upn)),
        // "A" is not a DfE code (some systems use it locally for "absent").
        new("attendance_code", (_, _) => "A"),
        new("attendance_code", (_, _) => "A"),
        new("attendance_code", (_, _) => ""),
        new("session_date", (_, _) => school.UkDates ? "31/04/2026" : "2026-13-01"),
        new("date_of_birth", (_, _) => school.UkDates ? "30/02/2012" : "2012-02-30"),
    ];

    private const string CheckLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"; // the DfE table, as in UpnCheck

    /// <summary>The UPN with its check letter moved on by one: a typical mistyping, and always wrong.</summary>
    private static string WrongCheckLetter(string upn) =>
        CheckLetters[(CheckLetters.IndexOf(upn[0], StringComparison.Ordinal) + 1) % CheckLetters.Length] + upn[1..];

    // ---- Calendar and formatting ------------------------------------------------------------------------------

    private static List<DateOnly> SchoolDays()
    {
        var days = new List<DateOnly>();
        for (var d = Period.Start; d <= Period.End; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.Any(h => d >= h.From && d <= h.To))
                days.Add(d);
        return days;
    }

    /// <summary>The national curriculum year group in <see cref="AcademicYear"/> (year 7 = aged 11 on 31 August 2025).</summary>
    private static int YearGroup(DateOnly dateOfBirth) =>
        AcademicYear - (dateOfBirth.Month >= 9 ? dateOfBirth.Year : dateOfBirth.Year - 1) - 5;

    private static string DateText(DateOnly date, bool uk = false) =>
        date.ToString(uk ? "dd/MM/yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Flag(bool? flag) => flag switch { true => "Y", false => "N", null => "" };

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    private static string Quote(string cell) =>
        cell.AsSpan().ContainsAny(NeedsQuotes) ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    /// <summary>CRLF lines and UTF-8 without a BOM, as a Windows MIS exports them; fields quoted only when they must be.</summary>
    private static DemoDrop WriteDrop(string directory, string provider, string dropType, string[] columns, IEnumerable<string[]> rows)
    {
        var path = Path.Combine(directory, provider, dropType + ".csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\r\n" };
        writer.WriteLine(string.Join(',', columns));
        foreach (var row in rows) writer.WriteLine(string.Join(',', row.Select(Quote)));
        return new DemoDrop(provider, dropType, path);
    }

    // ---- Reference lists ---------------------------------------------------------------------------------------

    private static readonly string[] Surnames =
    [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson",
        "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Turner", "Hill",
        "Cooper", "Ward", "Moore", "King", "Baker", "Harris", "Lee", "Walsh", "Murphy", "O'Brien", "Campbell", "Khan",
        "Hussain", "Ali", "Ahmed", "Akhtar", "Patel", "Singh", "Mensah", "Okafor", "Nowak", "Kowalski", "Smith-Bennett",
    ];

    private static readonly string[] BoysNames =
    [
        "Oliver", "Harry", "Jack", "Charlie", "George", "Jacob", "Noah", "Leo", "Alfie", "Riley", "Kai", "Tyler", "Callum",
        "Kyle", "Connor", "Liam", "Mason", "Jayden", "Reece", "Ethan", "Lewis", "Bradley", "Muhammad", "Ibrahim", "Ayaan",
        "Kacper", "Jakub", "Tyrese", "Marcus", "Declan",
    ];

    private static readonly string[] GirlsNames =
    [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ella", "Grace", "Lily", "Chloe", "Jessica", "Holly", "Courtney", "Paige",
        "Megan", "Leah", "Shannon", "Aaliyah", "Zara", "Maryam", "Amira", "Zuzanna", "Keira", "Demi", "Jade", "Ruby", "Skye",
    ];

    // Sex in the YJB coding: youth justice caseloads are about three-quarters boys.
    private static readonly (string Code, double Weight)[] Sexes = [("1", 74), ("2", 25), ("9", 1)];

    // Age on MidQuarter: caseloads peak at 15-16; a few 9-year-olds (prevention) and 18-year-olds exercise the KPI age filter.
    private static readonly (int Age, double Weight)[] Ages =
        [(9, 1.5), (10, 3), (11, 5), (12, 8), (13, 12), (14, 16), (15, 19), (16, 18), (17, 15), (18, 2.5)];

    // DfE main codes in a plausible mix for a northern English city, including refused and not obtained.
    private static readonly (string Code, double Weight)[] Ethnicities =
    [
        ("WBRI", 62), ("WIRI", 0.5), ("WIRT", 1), ("WROM", 1), ("WOTH", 4), ("MWBC", 6), ("MWBA", 1), ("MWAS", 1), ("MOTH", 2),
        ("AIND", 2), ("APKN", 5), ("ABAN", 1), ("CHNE", 0.3), ("AOTH", 1), ("BCRB", 3), ("BAFR", 4), ("BOTH", 1),
        ("OARB", 0.5), ("OOTH", 1), ("REFU", 1.5), ("NOBT", 1.5),
    ];

    // Local children live in the city's districts; those supervised for another area live in a neighbouring one (with its LA number).
    private const string LocalLa = "383";
    private static readonly string[] LocalDistricts = ["LS6", "LS7", "LS8", "LS9", "LS10", "LS11", "LS12", "LS13", "LS14", "LS15", "LS27", "LS28"];
    private static readonly (string La, string[] Districts)[] OtherAreas = [("380", ["BD3", "BD4", "BD5"]), ("384", ["WF1", "WF2", "WF10"])];
    private const string InwardLetters = "ABDEFGHJLNPQRSTUWXYZ"; // C, I, K, M, O and V are never used in an inward code

    private static readonly Disposal Prevention = new("PREVENTION", 8, Route.Prevention, MinDays: 84, MaxDays: 182, MaxLagDays: 28);

    // Weights, programme lengths in days, and the days from legal outcome to start (YROs and custody start on sentence).
    private static readonly Disposal[] Disposals =
    [
        new("REFERRAL_ORDER", 27, Route.Court, MinDays: 90, MaxDays: 365, MaxLagDays: 21),
        new("YRO", 12, Route.Court, MinDays: 180, MaxDays: 730, MaxLagDays: 0),
        new("CUSTODY_DTO", 3, Route.Court, MinDays: 120, MaxDays: 730, MaxLagDays: 0),
        new("YOUTH_CAUTION", 10, Route.OutOfCourt, MinDays: 28, MaxDays: 112, MaxLagDays: 14),
        new("YOUTH_CONDITIONAL_CAUTION", 10, Route.OutOfCourt, MinDays: 56, MaxDays: 112, MaxLagDays: 14),
        new("COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT", 30, Route.OutOfCourt, MinDays: 28, MaxDays: 84, MaxLagDays: 14),
        Prevention,
    ];

    private static readonly (string Code, double Weight)[] AuthorisedAbsence = [("I", 75), ("M", 10), ("C", 15)];
    private static readonly (string Code, double Weight)[] UnauthorisedAbsence = [("O", 75), ("N", 15), ("G", 10)];

    // ---- Model -------------------------------------------------------------------------------------------------

    private sealed record School(string Provider, string Name, string Urn, int Weight, bool UkDates, DateOnly? ClosedOn);

    private sealed record Person(string Upn, string Surname, string Forename, DateOnly DateOfBirth);

    private sealed record Child(string CaseRef, Person Person, string Uln, string Sex, string Ethnicity, string Postcode,
        bool LocalResident, bool UkDateOfBirth);

    private enum Route { Court, OutOfCourt, Prevention }

    private sealed record Disposal(string Code, double Weight, Route Route, int MinDays, int MaxDays, int MaxLagDays);

    private sealed record Intervention(string CaseRef, string Id, Disposal Disposal, DateOnly OutcomeDate, DateOnly Start, DateOnly? End,
        bool? ChangedOnAppeal, bool? OocdCompleted);

    private enum Timing { OpenInQuarter, EndedBefore, StartsAfter }

    /// <summary>A pupil and their marks for every school day (AM, PM, AM, PM…), whichever school records them.</summary>
    private sealed record Pupil(Person Person, string[] Marks);

    /// <summary>A pupil on a school's roll; <paramref name="Days"/> limits a dual registration to the weekdays this school is responsible for.</summary>
    private sealed record Enrolment(School School, Pupil Pupil, bool UkDateOfBirth, IReadOnlySet<DayOfWeek>? Days);

    /// <summary>A deliberate mistake: the column it spoils (only rows with a value there are chosen) and the bad value, from the old cell and row.</summary>
    private sealed record Fault(string Column, Func<string, string[], string> Spoil);

    // ---- Generation: every random draw goes through one Random, in a fixed order --------------------------------

    private sealed class Generator(Random rng)
    {
        private readonly HashSet<string> _upns = new(StringComparer.Ordinal);

        public List<Child> Children()
        {
            var children = new List<Child>(CohortSize);
            for (var n = 1; n <= CohortSize; n++)
            {
                var sex = Weighted(Sexes, s => s.Weight).Code;
                var age = Weighted(Ages, a => a.Weight).Age;
                var dateOfBirth = MidQuarter.AddYears(-age).AddDays(-rng.Next(365));
                var local = Chance(0.95);
                var (la, districts) = local ? (LocalLa, LocalDistricts) : Pick(OtherAreas);
                var forenames = sex switch { "1" => BoysNames, "2" => GirlsNames, _ => Chance(0.5) ? BoysNames : GirlsNames };
                var person = new Person(Upn(la, dateOfBirth), Pick(Surnames), Pick(forenames), dateOfBirth);
                // Only young people who have started post-16 learning tend to have a ULN on the YOT's record.
                var uln = age >= 16 && Chance(0.3) ? Uln() : "";
                children.Add(new Child($"NB-2026-{n:0000}", person, uln, sex, Weighted(Ethnicities, e => e.Weight).Code,
                    Postcode(Pick(districts)), local, UkDateOfBirth: Chance(0.15)));
            }
            return children;
        }

        /// <summary>One intervention per child (some two), most open on a day of the quarter; ids in file order.</summary>
        public List<Intervention> Interventions(IReadOnlyList<Child> children)
        {
            var interventions = new List<Intervention>();
            foreach (var child in children)
            {
                var mine = new List<Intervention> { NewIntervention(child, Weighted(FirstTimings, t => t.Weight).Timing) };
                // A second programme is usually an earlier one, already finished.
                if (Chance(0.15)) mine.Add(NewIntervention(child, Chance(0.6) ? Timing.EndedBefore : Timing.OpenInQuarter));
                foreach (var i in mine.OrderBy(i => i.Start))
                    interventions.Add(i with { Id = $"INT-{interventions.Count + 1:00000}" });
            }

            // One or two sentences changed on appeal, which the KPIs must leave out.
            var court = Enumerable.Range(0, interventions.Count).Where(k => interventions[k].Disposal.Route == Route.Court).ToList();
            for (var n = 0; n < 2; n++)
            {
                var k = court[rng.Next(court.Count)];
                interventions[k] = interventions[k] with { ChangedOnAppeal = true };
            }
            return interventions;
        }

        private static readonly (Timing Timing, double Weight)[] FirstTimings =
            [(Timing.OpenInQuarter, 80), (Timing.EndedBefore, 10), (Timing.StartsAfter, 10)];

        private Intervention NewIntervention(Child child, Timing timing)
        {
            var disposal = Generalise.AgeOn(child.Person.DateOfBirth, MidQuarter) < 10 ? Prevention : Weighted(Disposals, d => d.Weight);
            var length = rng.Next(disposal.MinDays, disposal.MaxDays + 1);
            var start = timing switch
            {
                // Ended at some point between September and the day before the quarter.
                Timing.EndedBefore => Between(new DateOnly(2025, 9, 1), Period.Start.AddDays(-1)).AddDays(-length),
                Timing.StartsAfter => Between(Period.End.AddDays(1), ExtractedOn),
                // Runs through a day of the quarter: start up to its length before that day.
                _ => Between(Period.Start, Period.End).AddDays(-rng.Next(length)),
            };
            var end = start.AddDays(length);
            DateOnly? ended = end <= ExtractedOn ? end : null;
            var outcomeDate = start.AddDays(-rng.Next(disposal.MaxLagDays + 1));
            bool? completed = disposal.Route == Route.OutOfCourt && ended is not null ? Chance(0.85) : null;
            return new Intervention(child.CaseRef, "", disposal, outcomeDate, start, ended,
                disposal.Route == Route.Court ? false : null, completed);
        }

        /// <summary>
        /// Who is on which school's roll: most of the cohort's local children of secondary age (a few dual-registered
        /// with the short-stay school), plus pupils the YOT does not know, so receipts show rows out of the cohort.
        /// </summary>
        public List<Enrolment> Enrolments(IReadOnlyList<Child> children, IReadOnlyList<DateOnly> days)
        {
            var enrolments = new List<Enrolment>();
            foreach (var child in children.Where(c => c.LocalResident && YearGroup(c.Person.DateOfBirth) is >= 7 and <= 11))
            {
                if (!Chance(0.92)) continue; // on roll at a school outside the demo, or electively home educated
                var pupil = new Pupil(child.Person, Register(child.Person, inCohort: true, days));
                var school = Weighted(Schools, s => s.Weight);
                if (school != ShortStaySchool && Chance(0.06))
                {
                    enrolments.Add(Enrol(school, pupil, [DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday]));
                    enrolments.Add(Enrol(ShortStaySchool, pupil, [DayOfWeek.Tuesday, DayOfWeek.Thursday]));
                }
                else
                {
                    enrolments.Add(Enrol(school, pupil, null));
                }
            }

            foreach (var school in Schools)
            {
                var firstYear = school == ShortStaySchool ? 9 : 7;
                for (var n = 36 + rng.Next(9); n > 0; n--)
                {
                    var year = rng.Next(firstYear, 12);
                    var dateOfBirth = Between(new DateOnly(AcademicYear - 5 - year, 9, 1), new DateOnly(AcademicYear - 4 - year, 8, 31));
                    var sex = rng.Next(2);
                    var person = new Person(Upn(LocalLa, dateOfBirth), Pick(Surnames), Pick(sex == 0 ? BoysNames : GirlsNames), dateOfBirth);
                    enrolments.Add(Enrol(school, new Pupil(person, Register(person, inCohort: false, days)), null));
                }
            }
            return enrolments;
        }

        private Enrolment Enrol(School school, Pupil pupil, HashSet<DayOfWeek>? days) =>
            new(school, pupil, school.UkDates || Chance(0.15), days);

        /// <summary>
        /// A pupil's marks for the quarter. Each pupil gets an absence rate (YOT pupils: about a quarter persistently
        /// absent, a few severely; others nearer the national picture); absences are whole days, and a spell keeps
        /// its code from one day to the next, as an illness or a truancy does.
        /// </summary>
        private string[] Register(Person person, bool inCohort, IReadOnlyList<DateOnly> days)
        {
            var (absenceRate, unauthorisedShare) = AbsenceProfile(inCohort);
            var lateRate = inCohort ? 0.06 : 0.02;
            var partTime = inCohort && Chance(0.04);
            var suspension = Chance(inCohort ? 0.10 : 0.02) ? (From: rng.Next(days.Count), Days: rng.Next(1, 4)) : (From: -1, Days: 0);
            var yearEleven = YearGroup(person.DateOfBirth) == 11;

            var marks = new string[days.Count * 2];
            string? spell = null;
            for (var d = 0; d < days.Count; d++)
            {
                string am, pm;
                if (yearEleven && days[d] > SchoolLeavingDate) { am = pm = "X"; spell = null; }
                else if (d >= suspension.From && d < suspension.From + suspension.Days) { am = pm = "E"; spell = null; }
                else if (Chance(0.002)) { am = pm = "Y1"; spell = null; } // school transport did not run
                else
                {
                    if (Chance(absenceRate))
                    {
                        spell ??= Weighted(Chance(unauthorisedShare) ? UnauthorisedAbsence : AuthorisedAbsence, a => a.Weight).Code;
                        am = pm = spell;
                    }
                    else
                    {
                        spell = null;
                        // Late before registers close is L; after they close, U (unauthorised).
                        am = Chance(lateRate) ? (Chance(0.15) ? "U" : "L") : "/";
                        pm = Chance(0.005) ? "M" : "\\"; // an afternoon medical appointment
                    }
                    // A part-time timetable: no afternoons Monday to Thursday.
                    if (partTime && days[d].DayOfWeek != DayOfWeek.Friday) pm = "C2";
                }
                marks[2 * d] = am;
                marks[2 * d + 1] = pm;
            }
            return marks;
        }

        private (double AbsenceRate, double UnauthorisedShare) AbsenceProfile(bool inCohort)
        {
            var (severe, persistent) = inCohort ? (0.05, 0.18) : (0.01, 0.12);
            var r = rng.NextDouble();
            return r < severe ? (Uniform(0.55, 0.90), 0.7)
                : r < severe + persistent ? (Uniform(0.20, 0.48), 0.5)
                : (Uniform(0.0, 0.03), 0.25);
        }

        /// <summary>Applies each fault to a different row holding a value in the fault's column; the rows are changed in place.</summary>
        public List<string[]> Spoil(List<string[]> rows, string[] columns, IReadOnlyList<Fault> faults)
        {
            var spoilt = new HashSet<int>();
            foreach (var fault in faults)
            {
                var column = Array.IndexOf(columns, fault.Column);
                int r;
                do r = rng.Next(rows.Count); while (spoilt.Contains(r) || rows[r][column].Length == 0);
                spoilt.Add(r);
                rows[r][column] = fault.Spoil(rows[r][column], rows[r]);
            }
            return rows;
        }

        /// <summary>
        /// A unique UPN with a valid check letter: LA number, the primary school that allocated it (DfE numbers
        /// primaries 2000-2999), the year it was allocated (the September the child started reception) and a serial.
        /// </summary>
        private string Upn(string la, DateOnly dateOfBirth)
        {
            var allocated = (dateOfBirth.Month >= 9 ? dateOfBirth.Year + 5 : dateOfBirth.Year + 4) % 100;
            while (true)
            {
                var twelve = $"{la}{rng.Next(2000, 3000)}{allocated:00}{rng.Next(1000):000}";
                var upn = UpnCheck.CheckLetter(twelve) + twelve;
                if (_upns.Add(upn)) return upn;
            }
        }

        private string Uln()
        {
            while (true)
            {
                var nine = rng.Next(100_000_000, 1_000_000_000).ToString(CultureInfo.InvariantCulture);
                if (UlnCheck.CheckDigit(nine) is { } check) return nine + check.ToString(CultureInfo.InvariantCulture);
            }
        }

        private string Postcode(string district) =>
            $"{district} {rng.Next(1, 10)}{InwardLetters[rng.Next(InwardLetters.Length)]}{InwardLetters[rng.Next(InwardLetters.Length)]}";

        private bool Chance(double p) => rng.NextDouble() < p;

        private double Uniform(double from, double to) => from + (to - from) * rng.NextDouble();

        private DateOnly Between(DateOnly from, DateOnly to) => from.AddDays(rng.Next(to.DayNumber - from.DayNumber + 1));

        private T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];

        private T Weighted<T>(IReadOnlyList<T> items, Func<T, double> weight)
        {
            var r = rng.NextDouble() * items.Sum(weight);
            foreach (var item in items)
            {
                r -= weight(item);
                if (r < 0) return item;
            }
            return items[^1];
        }
    }
}
