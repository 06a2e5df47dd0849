namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>A school in the demo; <paramref name="Aliases"/> are its MIS's column names, by drop type, where it sends them.</summary>
internal sealed record School(string Provider, string Name, string Urn, int OtherPupils, double CohortShare, bool UkDates,
    DateOnly? ClosedOn,
    bool ShortStay = false, bool WithholdsNames = false, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Aliases = null);

/// <summary>
/// Four schools (three secondaries and a short-stay school) sending session marks for 2026-Q1 and 2026-Q2, exclusions
/// for the two academic years from July 2024, and roll snapshots at the end of each quarter. Each sends its whole roll
/// (as a school's MIS exports it): most pupils are not known to the YOT, so the gate links about one row in ten and
/// discards the rest. The YOT's children on these rolls have the attendance, suspensions, SEN and part-time
/// timetables their case records suggest.
/// </summary>
internal sealed class DemoSchools
{
    public static readonly string[] AttendanceColumns =
        ["upn", "legal_surname", "legal_forename", "date_of_birth", "urn", "session_date", "session", "attendance_code"];
    public static readonly string[] ExclusionColumns = ["upn", "urn", "category", "start_date", "sessions", "reason", "end_date"];
    public static readonly string[] RollColumns =
    [
        "upn", "legal_surname", "legal_forename", "date_of_birth", "urn", "as_at_date", "year_group", "on_roll_from", "off_roll_date",
        "off_roll_reason", "sen_provision", "ehcp_last_review_date", "part_time_timetable", "ptt_start_date", "ptt_planned_end_date",
        "ptt_hours_per_week", "ptt_last_review_date", "alternative_provision",
    ];

    // St Aidan's MIS exports its own column names (as in tests/Pipeline.Tests/Fixtures/exports/aliases.json) and an extra
    // registration-group column the agreement does not cover.
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> MisAliases = new()
    {
        ["school-attendance"] = new Dictionary<string, string>
        {
            ["UPN"] = "upn", ["Legal Surname"] = "legal_surname", ["Legal Forename"] = "legal_forename", ["DOB"] = "date_of_birth",
            ["URN"] = "urn", ["Date"] = "session_date", ["Session"] = "session", ["Mark"] = "attendance_code",
        },
        ["school-exclusions"] = new Dictionary<string, string>
        {
            ["UPN"] = "upn", ["School URN"] = "urn", ["Exclusion Type"] = "category", ["Start Date"] = "start_date",
            ["Sessions"] = "sessions", ["Reason"] = "reason", ["End Date"] = "end_date",
        },
        ["school-roll"] = new Dictionary<string, string>
        {
            ["UPN"] = "upn", ["Legal Last Name"] = "legal_surname", ["Legal First Name"] = "legal_forename",
                ["Date of Birth"] = "date_of_birth",
            ["School URN"] = "urn", ["Snapshot Date"] = "as_at_date", ["NC Year"] = "year_group", ["Enrolment Start"] = "on_roll_from",
            ["Enrolment End"] = "off_roll_date", ["Leaving Reason"] = "off_roll_reason", ["SEN Status"] = "sen_provision",
            ["EHCP Last Annual Review"] = "ehcp_last_review_date", ["Part Time Timetable"] = "part_time_timetable",
                ["PTT Start"] = "ptt_start_date",
            ["PTT Planned End"] = "ptt_planned_end_date", ["PTT Hours Per Week"] = "ptt_hours_per_week",
                ["PTT Last Review"] = "ptt_last_review_date",
            ["Attends AP"] = "alternative_provision",
        },
    };

    public static readonly School ShortStay =
        new("school-harrow-lane-short-stay", "Harrow Lane Short Stay School", "133842", OtherPupils: 100, CohortShare: 0.35, UkDates: false,
            ClosedOn: null, ShortStay: true);

    public static readonly School[] Schools =
    [
        // Used as a polling station for the local elections on 7 May 2026: closed, marked # for everyone. Shares no names.
        new("school-northbridge-academy", "Northbridge Academy", "148213", OtherPupils: 200, CohortShare: 0.08, UkDates: false,
            ClosedOn: new(2026, 5, 7), WithholdsNames: true),
        // Its MIS exports every date as DD/MM/YYYY, under its own column names.
        new("school-st-aidans-catholic-high", "St Aidan's Catholic High School", "108117", OtherPupils: 175, CohortShare: 0.06,
            UkDates: true,
            ClosedOn: null, Aliases: MisAliases),
        new("school-millfield-community", "Millfield Community School", "107995", OtherPupils: 175, CohortShare: 0.08, UkDates: false,
            ClosedOn: null),
        ShortStay,
    ];

    public static readonly (int Quarter, DateOnly AsAt)[] Snapshots = [(1, new(2026, 3, 27)), (2, new(2026, 6, 26))];
    private static readonly DateOnly YearStart = new(2025, 9, 3);
    private static readonly DateOnly HistoryFrom = new(2024, 7, 1);
    private static readonly DateOnly HistoryTo = new(2026, 6, 30);
    // Compulsory school age ends on the last Friday in June of year 11; after it year 11 are marked X (not required to attend).
    private static readonly DateOnly SchoolLeavingDate = new(2026, 6, 26);

    // School holidays (and bank holidays) from the summer of 2024 to the summer of 2026.
    private static readonly (DateOnly From, DateOnly To)[] Holidays =
    [
        (new(2024, 7, 20), new(2024, 9, 3)), (new(2024, 10, 28), new(2024, 11, 1)), (new(2024, 12, 21), new(2025, 1, 5)),
        (new(2025, 2, 17), new(2025, 2, 21)), (new(2025, 4, 7), new(2025, 4, 21)), (new(2025, 5, 5), new(2025, 5, 5)),
        (new(2025, 5, 26), new(2025, 5, 30)), (new(2025, 7, 19), new(2025, 9, 2)), (new(2025, 10, 27), new(2025, 10, 31)),
        (new(2025, 12, 20), new(2026, 1, 4)), (new(2026, 2, 16), new(2026, 2, 20)), (new(2026, 4, 3), new(2026, 4, 17)),
        (new(2026, 5, 4), new(2026, 5, 4)), (new(2026, 5, 25), new(2026, 5, 29)),
    ];

    public static bool SchoolDay(DateOnly d) =>
        d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.Any(h => d >= h.From && d <= h.To);

    private static readonly (string Code, double Weight)[] AuthorisedAbsence = [("I", 75), ("M", 10), ("C", 15)];
    private static readonly (string Code, double Weight)[] UnauthorisedAbsence = [("O", 75), ("N", 15), ("G", 10)];
    private static readonly (string Code, double Weight)[] SuspensionReasons =
    [
        ("DB", 34), ("VA", 12), ("PP", 14), ("PA", 6), ("VP", 6), ("DA", 6), ("OW", 3), ("BU", 3), ("DM", 4), ("TH", 3),
        ("MT", 4), ("RA", 2), ("SM", 1), ("LG", 1), ("DS", 1),
    ];
    private static readonly (string Code, double Weight)[] LeavingReasons =
        [("TRANSFERRED", 45), ("MOVED_AWAY", 25), ("ELECTIVE_HOME_EDUCATION", 12), ("CHILD_MISSING_EDUCATION", 8), ("MEDICAL", 3),
            ("OTHER", 7)];

    private sealed record Stint(School School, DateOnly OnRoll, DateOnly? OffRoll, string? OffReason, IReadOnlySet<DayOfWeek>? Days,
        bool Ap);

    private sealed record Ptt(DateOnly Start, DateOnly? PlannedEnd, double Hours, DateOnly? Reviewed);

    private sealed record Exclusion(School School, string Category, DateOnly Start, int Sessions, string Reason, DateOnly? End);

    private sealed class Pupil(Person person, Child? child)
    {
        public Person Person { get; } = person;
        public Child? Child { get; } = child;
        public List<Stint> Stints { get; } = [];
        public List<Exclusion> Exclusions { get; } = [];
        public string Sen { get; set; } = "N";
        public Ptt? Ptt { get; set; }
        public string[] Marks { get; set; } = [];
        public bool UkDateOfBirth { get; set; }
        public string Group { get; set; } = "";
    }

    private readonly DemoRandom rng;
    private readonly DemoIdentity ids;
    private readonly List<DateOnly> days;
    private readonly List<DateOnly> allDays = [];
    private readonly List<Pupil> pupils = [];

    private DemoSchools(DemoRandom rng, DemoIdentity ids)
    {
        this.rng = rng;
        this.ids = ids;
        days = [];
        for (var d = HistoryFrom; d <= HistoryTo; d = d.AddDays(1))
            if (SchoolDay(d)) allDays.Add(d);
        days = [.. allDays.Where(d => d.Year == 2026)];
    }

    public static IEnumerable<DemoDrop> Write(string directory, DemoCohort cohort, int seed, DemoIdentity ids)
    {
        var schools = new DemoSchools(new DemoRandom(seed), ids);
        schools.Build(cohort);
        return schools.Drops(directory);
    }

    // ---- Who is on which roll ---------------------------------------------------------------------------------

    private void Build(DemoCohort cohort)
    {
        var mainstream = Schools.Where(s => !s.ShortStay).ToArray();
        foreach (var child in cohort.Children.Where(c => c.LocalResident))
        {
            var year = DemoPeople.YearGroup(child.Person.DateOfBirth, 2025);
            var excluded = child.ExcludedToPru is { } t && t >= HistoryFrom ? t : (DateOnly?)null;
            var ete = child.EteOn(new DateOnly(2026, 3, 2)) ?? child.EteOn(new DateOnly(2026, 6, 1));
            if (year == 12 && child.EteOn(new DateOnly(2025, 3, 3)) is "SCHOOL_FULL_TIME" or "SCHOOL_PART_TIME")
            {
                // Left year 11 last summer: only last year's suspensions are in the schools' files.
                if (rng.Chance(0.22)) FormerPupil(child.Person, child, rng.Weighted(mainstream, s => s.CohortShare), inCohort: true);
                continue;
            }
            if (year is < 7 or > 11 || ete is "ELECTIVELY_HOME_EDUCATED") continue;
            var pupil = new Pupil(child.Person, child) { UkDateOfBirth = child.UkDateOfBirth };
            var onRollFrom = new DateOnly(2025 - (year - 7), 9, rng.Pick([3, 4, 5]));

            if (excluded is { } day)
            {
                // Permanently excluded from a mainstream school, then at a PRU.
                if (rng.Chance(0.25))
                {
                    var school = rng.Weighted(mainstream, s => s.CohortShare);
                    var decision = PreviousSchoolDay(day.AddDays(-rng.Next(7, 20)));
                    pupil.Exclusions.Add(new(school, "PERMANENT", decision, 0,
                        rng.Weighted([("PA", 30.0), ("OW", 20), ("DA", 20), ("DB", 20), ("VA", 10)]), null));
                    if (day >= YearStart) pupil.Stints.Add(new(school, onRollFrom, decision, "PERMANENTLY_EXCLUDED", null, false));
                    else if (day >= HistoryFrom) pupil.Stints.Add(
                        new(school, onRollFrom, decision, "PERMANENTLY_EXCLUDED", null, false) { });
                }
                if (rng.Chance(ShortStay.CohortShare)) pupil.Stints.Add(
                    new(ShortStay, day > YearStart ? day : YearStart, null, null, null, true));
            }
            else if (ete is "AP_PRU")
            {
                if (rng.Chance(ShortStay.CohortShare)) pupil.Stints.Add(new(ShortStay, YearStart, null, null, null, true));
            }
            else if (rng.Chance(mainstream.Sum(s => s.CohortShare)))
            {
                var school = rng.Weighted(mainstream, s => s.CohortShare);
                if (rng.Chance(0.1))
                {
                    // Dual registered: three days at school, two at the short-stay school.
                    pupil.Stints.Add(new(school, onRollFrom, null, null,
                        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday }, true));
                    pupil.Stints.Add(new(ShortStay, YearStart, null, null, new HashSet<DayOfWeek> { DayOfWeek.Tuesday, DayOfWeek.Thursday },
                        true));
                }
                else pupil.Stints.Add(new(school, onRollFrom, null, null, null, ete is "AP_OTHER"));
            }
            if (pupil.Stints.Count == 0 && pupil.Exclusions.Count == 0) continue;
            pupil.Sen = child.SendStatus switch { SendStatus.Ehcp => "E", SendStatus.Need => "K", _ => rng.Chance(0.05) ? "K" : "N" };
            var partTime = child.Ete.FirstOrDefault(e => e.Type == "SCHOOL_PART_TIME"
                && (e.End is null || e.End >= new DateOnly(2026, 1, 5)));
            if (partTime is not null || rng.Chance(0.04))
                pupil.Ptt = NewPtt(partTime is { } p && p.Start > new DateOnly(2025, 6, 1) ? p.Start
                    : rng.Between(new(2025, 9, 8), new(2026, 5, 15)), inCohort: true);
            pupils.Add(pupil);
        }

        // Pupils the YOT does not know: most of every roll.
        foreach (var school in Schools)
        {
            for (var n = 0; n < school.OtherPupils; n++)
            {
                var year = school.ShortStay ? rng.Weighted([(8, 1.0), (9, 2), (10, 3), (11, 4)], y => y.Item2).Item1 : rng.Next(7, 12);
                var dateOfBirth = rng.Between(new DateOnly(2025 - 5 - year, 9, 1), new DateOnly(2025 - 4 - year, 8, 31));
                var sex = rng.Chance(school.ShortStay ? 0.7 : 0.5) ? "1" : "2";
                var person = DemoPeople.NewPerson(rng, ids, DemoPeople.LocalLa, dateOfBirth, sex);
                var pupil = new Pupil(person, null) { UkDateOfBirth = school.UkDates || rng.Chance(0.1) };
                var onRoll = school.ShortStay ? rng.Between(new(2024, 9, 2), new(2026, 5, 1))
                    : rng.Chance(0.05) ? rng.Between(YearStart, new(2026, 5, 15)) : new DateOnly(2025 - (year - 7), 9, rng.Pick([3, 4, 5]));
                while (!SchoolDay(onRoll)) onRoll = onRoll.AddDays(1);
                if (rng.Chance(school.ShortStay ? 0.12 : 0.04))
                {
                    var left = rng.Between(onRoll > YearStart ? onRoll.AddDays(14) : YearStart, new DateOnly(2026, 6, 19));
                    pupil.Stints.Add(new(school, onRoll, left, rng.Weighted(LeavingReasons), null, school.ShortStay));
                }
                else pupil.Stints.Add(new(school, onRoll, null, null, null, school.ShortStay));
                var r = rng.NextDouble();
                pupil.Sen = r < (school.ShortStay ? 0.12 : 0.025) ? "E" : r < (school.ShortStay ? 0.5 : 0.15) ? "K" : "N";
                if (rng.Chance(school.ShortStay ? 0.15 : 0.01)) pupil.Ptt =
                    NewPtt(rng.Between(new(2025, 9, 8), new(2026, 5, 15)), inCohort: false);
                pupils.Add(pupil);
            }
            // Last year's year 11, gone now but in the exclusions file.
            for (var n = school.OtherPupils / 5; n > 0; n--)
            {
                var dateOfBirth = rng.Between(new DateOnly(2008, 9, 1), new DateOnly(2009, 8, 31));
                FormerPupil(DemoPeople.NewPerson(rng, ids, DemoPeople.LocalLa, dateOfBirth, rng.Chance(0.5) ? "1" : "2"), null, school,
                    inCohort: false);
            }
        }

        foreach (var pupil in pupils)
        {
            Suspensions(pupil);
            pupil.Marks = Register(pupil);
            const string Letters = "ABCDEFGHJKLMNPRSTW";
            pupil.Group = $"{DemoPeople.YearGroup(pupil.Person.DateOfBirth, 2025)}{Letters[rng.Next(18)]}{Letters[rng.Next(18)]}";
        }
    }

    private void FormerPupil(Person person, Child? child, School school, bool inCohort)
    {
        var pupil = new Pupil(person, child) { UkDateOfBirth = school.UkDates };
        pupil.Stints.Add(new(school, new DateOnly(2020, 9, 2), new DateOnly(2025, 6, 27), "END_OF_COMPULSORY_EDUCATION", null, false));
        var count = inCohort ? rng.Weighted([(0, 35.0), (1, 30), (2, 20), (3, 15)], x => x.Item2).Item1
            : rng.Weighted([(0, 80.0), (1, 12), (2, 6), (3, 2)], x => x.Item2).Item1;
        for (var k = 0; k < count; k++)
            if (Suspension(pupil, school, HistoryFrom, new DateOnly(2025, 6, 20)) is { } e) pupil.Exclusions.Add(e);
        pupils.Add(pupil);
    }

    private Ptt NewPtt(DateOnly start, bool inCohort)
    {
        while (!SchoolDay(start)) start = start.AddDays(1);
        // About two in five are open-ended; many are not reviewed every six weeks as guidance asks.
        DateOnly? plannedEnd = rng.Chance(0.4) ? null : start.AddDays(7 * rng.Next(4, 13));
        DateOnly? reviewed = rng.Chance(inCohort ? 0.3 : 0.15) ? null : rng.Between(start, new DateOnly(2026, 6, 26));
        return new Ptt(start, plannedEnd, rng.HalfHours(10, 20), reviewed);
    }

    /// <summary>A suspension starting on a school day between the two dates, on a day the pupil has none yet (null if there is
    /// none).</summary>
    private Exclusion? Suspension(Pupil pupil, School school, DateOnly from, DateOnly to)
    {
        var first = allDays.BinarySearch(from);
        var last = allDays.BinarySearch(to);
        first = first < 0 ? ~first : first;
        last = last < 0 ? ~last - 1 : last;
        if (last < first) return null;
        var start = allDays[rng.Next(first, last + 1)];
        if (pupil.Exclusions.Any(e => e.School == school && e.Start == start)) return null;
        var days = rng.Weighted([(1, 45.0), (2, 25), (3, 15), (5, 10), (10, 5)], x => x.Item2).Item1;
        var end = start;
        for (var k = 1; k < days; k++) { end = end.AddDays(1); while (!SchoolDay(end)) end = end.AddDays(1); }
        var halfDay = days == 1 && rng.Chance(0.15);
        return new Exclusion(school, "SUSPENSION", start, halfDay ? 1 : days * 2, rng.Weighted(SuspensionReasons), end);
    }

    private void Suspensions(Pupil pupil)
    {
        foreach (var stint in pupil.Stints.Where(s => s.OffReason != "END_OF_COMPULSORY_EDUCATION"))
        {
            var from =
                new[] { stint.OnRoll, HistoryFrom, new DateOnly(2025 - (DemoPeople.YearGroup(pupil.Person.DateOfBirth, 2025) - 7), 9,
                3) }.Max();
            var to = stint.OffRoll?.AddDays(-20) ?? new DateOnly(2026, 6, 19);
            if (to <= from) continue;
            var inCohort = pupil.Child is not null;
            // Secondary schools suspend about one pupil in ten a year, some of them repeatedly; the YOT's children far more often.
            var count = inCohort ? rng.Weighted([(0, 55.0), (1, 20), (2, 12), (3, 7), (4, 4), (6, 2)], x => x.Item2).Item1
                : rng.Weighted([(0, 74.0), (1, 13), (2, 7), (3, 3), (5, 3)], x => x.Item2).Item1;
            if (stint.School.ShortStay && !inCohort) count = (int)Math.Ceiling(count * 1.5);
            var years = Math.Max(0.2, (to.DayNumber - from.DayNumber) / 730.0);
            count = (int)Math.Round(count * years);
            for (var k = 0; k < count; k++)
                if (Suspension(pupil, stint.School, from, to) is { } e) pupil.Exclusions.Add(e);
        }
        // A few pupils the YOT does not know are permanently excluded too.
        if (pupil.Child is null && pupil.Stints is [{ OffRoll: null, School.ShortStay: false } only] && rng.Chance(0.004))
        {
            var day = PreviousSchoolDay(rng.Between(new(2026, 1, 12), new(2026, 6, 12)));
            pupil.Exclusions.Add(new(only.School, "PERMANENT", day, 0, "PA", null));
            pupil.Stints[0] = only with { OffRoll = day, OffReason = "PERMANENTLY_EXCLUDED" };
        }
    }

    private static DateOnly PreviousSchoolDay(DateOnly d)
    {
        while (!SchoolDay(d)) d = d.AddDays(-1);
        return d;
    }

    // ---- Session marks ----------------------------------------------------------------------------------------

    /// <summary>
    /// A pupil's marks for every school day of 2026-Q1 and 2026-Q2 (AM, PM, AM, PM…). Each pupil gets an absence
    /// rate (the YOT's children: about a quarter persistently absent, a few severely; others nearer the national
    /// picture); absences come in spells that keep their code, as an illness or a truancy does; suspensions are E,
    /// a part-time timetable's lost afternoons C2.
    /// </summary>
    private string[] Register(Pupil pupil)
    {
        var inCohort = pupil.Child is not null;
        var ete = pupil.Child?.EteOn(new DateOnly(2026, 4, 20));
        var (severe, persistent) = ete == "NONE" ? (0.6, 0.3) : inCohort ? (0.06, 0.22) : (0.01, 0.12);
        var r = rng.NextDouble();
        var (absenceRate, unauthorisedShare) = r < severe ? (rng.Uniform(0.55, 0.90), 0.7)
            : r < severe + persistent ? (rng.Uniform(0.12, 0.45), 0.5)
            : (rng.Uniform(0.0, 0.05), 0.25);
        var lateRate = inCohort ? 0.06 : 0.02;
        var yearEleven = DemoPeople.YearGroup(pupil.Person.DateOfBirth, 2025) == 11;
        var suspended = pupil.Exclusions.Where(e => e.Category == "SUSPENSION" && e.End >= days[0]).ToList();

        var marks = new string[days.Count * 2];
        string? spell = null;
        for (var d = 0; d < days.Count; d++)
        {
            var day = days[d];
            string am, pm;
            if (yearEleven && day > SchoolLeavingDate) { am = pm = "X"; spell = null; }
            else if (suspended.Any(e => day >= e.Start && day <= e.End)) { am = pm = "E"; spell = null; }
            else if (rng.Chance(0.002)) { am = pm = "Y1"; spell = null; } // school transport did not run
            else
            {
                if (rng.Chance(absenceRate))
                {
                    spell ??= rng.Weighted(rng.Chance(unauthorisedShare) ? UnauthorisedAbsence : AuthorisedAbsence);
                    am = pm = spell;
                }
                else
                {
                    spell = null;
                    // Late before registers close is L; after they close, U (unauthorised).
                    am = rng.Chance(lateRate) ? (rng.Chance(0.15) ? "U" : "L") : "/";
                    pm = rng.Chance(0.005) ? "M" : rng.Chance(0.004) ? "B" : "\\"; // an afternoon appointment; off-site education
                }
                // A part-time timetable: no afternoons Monday to Thursday while it runs.
                if (pupil.Ptt is { } ptt && day >= ptt.Start && (ptt.PlannedEnd is null || day <= ptt.PlannedEnd)
                    && day.DayOfWeek != DayOfWeek.Friday) pm = "C2";
            }
            marks[2 * d] = am;
            marks[2 * d + 1] = pm;
        }
        return marks;
    }

    // ---- Files ------------------------------------------------------------------------------------------------

    private IEnumerable<DemoDrop> Drops(string directory)
    {
        foreach (var school in Schools)
        {
            foreach (var (quarter, asAt) in Snapshots)
                yield return Write(directory, school, "school-attendance", $"school-attendance-2026-Q{quarter}", AttendanceColumns,
                    AttendanceRows(school, quarter), AttendanceFaults(school));
            yield return Write(directory, school, "school-exclusions", "school-exclusions-2024-07-to-2026-06", ExclusionColumns,
                ExclusionRows(school), ExclusionFaults(school));
            foreach (var (quarter, asAt) in Snapshots)
                yield return Write(directory, school, "school-roll", $"school-roll-{asAt:yyyy-MM-dd}", RollColumns, RollRows(school, asAt),
                    RollFaults(school, quarter));
        }
    }

    private DemoDrop Write(string directory, School school, string dropType, string name, string[] columns, List<string[]> rows,
        Fault[] faults)
    {
        rows = DemoCsv.Spoil(rng, rows, columns, faults);
        if (dropType == "school-attendance") rows = AttendanceSlips(school, rows);
        if (school.Aliases?.GetValueOrDefault(dropType) is not { } aliases)
            return DemoCsv.Write(directory, school.Provider, dropType, name, columns, rows);
        // The MIS's own header, with its registration/tutor group column on the end.
        var byTarget = aliases.ToDictionary(kv => kv.Value, kv => kv.Key);
        var extra = dropType == "school-roll" ? "Tutor Group" : "Reg Group";
        var upn = Array.IndexOf(columns, "upn");
        var groups = pupils.ToDictionary(p => p.Person.Upn, p => p.Group);
        return DemoCsv.Write(directory, school.Provider, dropType, name, [.. columns.Select(c => byTarget[c]), extra],
            rows.Select(r => (string[])[.. r, groups.GetValueOrDefault(r[upn]) ?? ""]));
    }

    private static IEnumerable<Pupil> Ordered(IEnumerable<Pupil> p) =>
        p.OrderBy(x => x.Person.Surname, StringComparer.Ordinal).ThenBy(x => x.Person.Forename, StringComparer.Ordinal)
            .ThenBy(x => x.Person.Upn, StringComparer.Ordinal);

    /// <summary>The school's register export for one quarter: pupil by pupil (alphabetical, as an MIS lists them), then day by
    /// day.</summary>
    private List<string[]> AttendanceRows(School school, int quarter)
    {
        var rows = new List<string[]>();
        foreach (var pupil in Ordered(pupils))
        {
            var stint = pupil.Stints.FirstOrDefault(s => s.School == school && s.OffReason != "END_OF_COMPULSORY_EDUCATION");
            if (stint is null) continue;
            var p = pupil.Person;
            var dateOfBirth = DemoCsv.Date(p.DateOfBirth, pupil.UkDateOfBirth);
            for (var d = 0; d < days.Count; d++)
            {
                var day = days[d];
                if ((day.Month - 1) / 3 + 1 != quarter || day < stint.OnRoll || (stint.OffRoll is { } off && day > off)) continue;
                var sessionDate = DemoCsv.Date(day, school.UkDates);
                for (var s = 0; s < 2; s++)
                {
                    // A dual-registered pupil is marked D (not possible) on the days the other school is responsible for.
                    var code = stint.Days is { } own && !own.Contains(day.DayOfWeek) ? "D"
                        : day == school.ClosedOn ? "#"
                        : pupil.Marks[2 * d + s];
                    rows.Add([p.Upn, p.Surname, p.Forename, dateOfBirth, school.Urn, sessionDate, s == 0 ? "AM" : "PM", code]);
                }
            }
        }
        return rows;
    }

    private static Fault[] AttendanceFaults(School school) =>
    [
        new("upn", (upn, _) => DemoCsv.WrongCheckLetter(upn)),
        new("upn", (upn, _) => DemoCsv.WrongCheckLetter(upn)),
        // "A" is not a DfE code (some systems use it locally for "absent").
        new("attendance_code", (_, _) => "A"),
        new("attendance_code", (_, _) => ""),
        new("session_date", (_, _) => school.UkDates ? "31/04/2026" : "2026-13-01"),
        new("date_of_birth", (_, _) => school.UkDates ? "30/02/2012" : "2012-02-30"),
    ];

    /// <summary>Two slips an MIS export makes: a session marked twice (a late correction exported beside the original), and a Saturday
    /// mark.</summary>
    private List<string[]> AttendanceSlips(School school, List<string[]> rows)
    {
        if (rows.Count < 100) return rows;
        var at = rng.Next(rows.Count / 4, rows.Count / 2);
        var copy = (string[])rows[at].Clone();
        copy[7] = copy[7] == "/" ? "L" : "/";
        rows.Insert(at + 1, copy);
        var saturday = rng.Next(rows.Count / 2, rows.Count * 3 / 4);
        var date = DemoCsv.ParseDate(rows[saturday][5]);
        var next = date.AddDays(DayOfWeek.Saturday - date.DayOfWeek);
        rows[saturday][5] = DemoCsv.Date(next.Month == date.Month ? next : next.AddDays(-7), school.UkDates);
        return rows;
    }

    private List<string[]> ExclusionRows(School school)
    {
        var rows = new List<(DateOnly Start, string[] Row)>();
        foreach (var pupil in pupils)
            foreach (var e in pupil.Exclusions.Where(e => e.School == school))
            {
                var category = school.Aliases is null ? e.Category : e.Category == "SUSPENSION" ? "Suspension" : "Permanent";
                rows.Add((e.Start, [pupil.Person.Upn, school.Urn, category, DemoCsv.Date(e.Start, school.UkDates),
                    e.Category == "SUSPENSION" ? e.Sessions.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", e.Reason,
                    DemoCsv.Date(e.End, school.UkDates)]));
            }
        return [.. rows.OrderBy(r => r.Start).ThenBy(r => r.Row[0], StringComparer.Ordinal).Select(r => r.Row)];
    }

    private static Fault[] ExclusionFaults(School school) => school.ShortStay
        ? [new("reason", (_, _) => "XX")]
        : [new("reason", (_, _) => "XX"), new("sessions", (_, _) => "")];

    private List<string[]> RollRows(School school, DateOnly asAt)
    {
        var rows = new List<string[]>();
        foreach (var pupil in Ordered(pupils))
        {
            var stint = pupil.Stints.FirstOrDefault(s => s.School == school && s.OffReason != "END_OF_COMPULSORY_EDUCATION");
            // On roll at any time this academic year up to the snapshot.
            if (stint is null || stint.OnRoll > asAt || stint.OffRoll < YearStart) continue;
            var p = pupil.Person;
            var uk = school.UkDates;
            var left = stint.OffRoll <= asAt ? stint.OffRoll : null;
            var ehcpReview = pupil.Sen == "E" ? EhcpReview(pupil, asAt) : null;
            var ptt = pupil.Ptt is { } t && t.Start <= asAt && stint.Days is null ? t : null;
            DateOnly? reviewed = ptt?.Reviewed is { } rv && rv <= asAt ? rv : null;
            rows.Add(
            [
                p.Upn, p.Surname, p.Forename, DemoCsv.Date(p.DateOfBirth, pupil.UkDateOfBirth), school.Urn, DemoCsv.Date(asAt, uk),
                DemoPeople.YearGroup(p.DateOfBirth, 2025).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    DemoCsv.Date(stint.OnRoll, uk),
                DemoCsv.Date(left, uk), left is null ? "" : stint.OffReason ?? "", pupil.Sen, DemoCsv.Date(ehcpReview, uk),
                DemoCsv.Flag(ptt is not null), DemoCsv.Date(ptt?.Start, uk), DemoCsv.Date(ptt?.PlannedEnd, uk), DemoCsv.Number(ptt?.Hours),
                DemoCsv.Date(reviewed, uk), DemoCsv.Flag(stint.Ap || school.ShortStay),
            ]);
        }
        return rows;
    }

    /// <summary>
    /// The last annual review of an EHC plan on or before the snapshot, the same in every snapshot: most within the
    /// year, about one in five overdue, a few never recorded.
    /// </summary>
    private static DateOnly? EhcpReview(Pupil pupil, DateOnly asAt)
    {
        var h = StableHash(pupil.Person.Upn);
        if (h % 100 < 6) return null;
        var latest = new DateOnly(2026, 6, 26).AddDays(-(h % 100 < 28 ? 380 + (int)(h / 100 % 200) : 20 + (int)(h / 100 % 330)));
        return latest <= asAt ? latest : latest.AddYears(-1);
    }

    private static uint StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var c in s) h = (h ^ c) * 16777619u;
        return h;
    }

    private static Fault[] RollFaults(School school, int quarter) => school.ShortStay
        ? [new("ptt_hours_per_week", (_, _) => "45")]
        : quarter == 1
            ? [new("off_roll_reason", (_, _) => ""), new("year_group", (_, _) => "Y9")]
            : [new("sen_provision", (_, _) => "S"), new("ptt_hours_per_week", (_, _) => "45")];
}
