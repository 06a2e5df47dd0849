using System.Globalization;

namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>
/// The city's further education college: an ILR-style extract of learning aims and monthly planned and attended hours
/// for 2024/25 and 2025/26 (to June 2026), one drop per academic year. Most learners are not known to the YOT; the
/// YOT's young people with a college place link by ULN where the YOT has it, by the UPN their school gave them, and
/// a couple (no ULN on the YOT's record, no UPN on the college's) only by name and date of birth.
/// </summary>
internal sealed class DemoCollege
{
    public const string Provider = "college-northbridge";
    public const string Name = "Northbridge College";
    public const string Ukprn = "10004790";

    public static readonly string[] Columns =
    [
        "uln", "upn", "legal_surname", "legal_forename", "date_of_birth", "ukprn", "aim_reference", "aim_level", "english_maths",
            "start_date",
        "planned_end_date", "actual_end_date", "completion_status", "outcome", "withdraw_reason", "period_start", "period_end",
            "planned_hours",
        "attended_hours",
    ];

    private sealed record Aim(string Reference, string Level, bool EnglishMaths, double WeeklyHours, string Kind);

    // Vocational study programmes by level, and the English and maths aims of learners without a grade 4 at GCSE.
    private static readonly Aim[] MainAims =
    [
        new("60322183", "E3", false, 12, "main"), new("60314587", "1", false, 14, "main"), new("60178954", "1", false, 14, "main"),
        new("60341122", "2", false, 15, "main"), new("60176673", "2", false, 15, "main"), new("60309876", "3", false, 16, "main"),
    ];
    private static readonly Aim GcseEnglish = new("50079116", "2", true, 3, "gcse");
    private static readonly Aim GcseMaths = new("50086832", "2", true, 3, "gcse");
    private static readonly Aim FsEnglishL2 = new("60347120", "2", true, 2.5, "fs");
    private static readonly Aim FsMathsL2 = new("60347144", "2", true, 2.5, "fs");
    private static readonly Aim FsEnglishL1 = new("60347107", "1", true, 2.5, "fs");
    private static readonly Aim FsMathsE3 = new("Z0001947", "E3", true, 2.5, "fs");

    // Teaching weeks in each month of the academic year (September to July).
    private static readonly double[] Weeks = [3.5, 3.5, 4, 3, 3.5, 3, 4, 2.5, 3.5, 3.5, 1];

    private static readonly (string Code, double Weight)[] WithdrawReasons =
        [("29", 30), ("44", 20), ("42", 12), ("2", 10), ("40", 10), ("47", 5), ("3", 5), ("98", 8)];

    private sealed record Learner(Person Person, string Uln, string Upn, string Surname, string Forename, Child? Child, double Attendance);

    private readonly DemoRandom rng;
    private readonly DemoIdentity ids;

    private DemoCollege(DemoRandom rng, DemoIdentity ids)
    {
        this.rng = rng;
        this.ids = ids;
    }

    public static IEnumerable<DemoDrop> Write(string directory, DemoCohort cohort, int seed, DemoIdentity ids)
    {
        var college = new DemoCollege(new DemoRandom(seed), ids);
        foreach (var year in (int[])[2024, 2025])
        {
            var rows = college.Year(cohort, year);
            rows = DemoCsv.Spoil(college.rng, rows, Columns,
            [
                new("uln", (uln, row) => row[1].Length == 0 ? DemoCsv.WrongCheckDigit(uln) : uln), // a ULN keyed in wrong
                new("withdraw_reason", (_, _) => ""), // withdrawn, no reason: a query
            ]);
            yield return DemoCsv.Write(directory, Provider, "college-enrolment", $"college-enrolment-{year}-{(year + 1) % 100:00}", Columns,
                rows);
        }
    }

    private int nameOnly;

    private List<string[]> Year(DemoCohort cohort, int year)
    {
        var teachingStart = new DateOnly(year, 9, year == 2024 ? 9 : 8);
        var yearEnd = new DateOnly(year + 1, 6, year == 2024 ? 27 : 26);
        var learners = new List<(Learner Learner, DateOnly Start, DateOnly? LeftOn)>();

        foreach (var child in cohort.Children)
        {
            var spell = child.Ete.FirstOrDefault(e => e.Type == "COLLEGE" && e.Start <= yearEnd
                && (e.End is null || e.End >= teachingStart));
            if (spell is null || child.TrueUln is null || !rng.Chance(0.75)) continue;
            var start = spell.Start > teachingStart ? spell.Start : teachingStart;
            var leftOn = spell.End < yearEnd ? spell.End : null;
            // The college has the UPN of most school leavers from the city (on the learner's application).
            var knowsUpn = rng.Chance(child.Uln.Length == 0 ? 0.95 : 0.6);
            var surname = child.Person.Surname;
            var forename = child.Person.Forename;
            // A couple of young people link only by name and date of birth: the YOT has no ULN, the college no UPN,
            // and the college writes the name its own way (capitals, a middle name).
            if (child.Uln.Length == 0 && nameOnly < 2 + (year - 2024))
            {
                knowsUpn = false;
                nameOnly++;
                if (nameOnly % 2 == 1) surname = surname.ToUpperInvariant();
                else forename += " " + rng.Pick(child.Person.Sex == "2" ? DemoPeople.GirlsNames : DemoPeople.BoysNames);
            }
            var ratio = spell.HoursOffered is > 0 && spell.HoursAttended is { } a ? a / spell.HoursOffered.Value : 0.7;
            learners.Add((new Learner(child.Person, child.TrueUln, knowsUpn ? child.Person.Upn : "", surname, forename, child, ratio),
                start, leftOn));
        }

        // Everyone else: about 300 learners a year aged 16-18.
        for (var n = 0; n < 300; n++)
        {
            var age = rng.Weighted([(16, 55.0), (17, 35), (18, 10)], x => x.Item2).Item1;
            var dateOfBirth = rng.Between(new DateOnly(year - age, 9, 1).AddYears(-1), new DateOnly(year - age, 8, 31));
            var sex = rng.Chance(0.5) ? "1" : "2";
            var person = DemoPeople.NewPerson(rng, ids, rng.Chance(0.8) ? DemoPeople.LocalLa : rng.Pick(DemoPeople.OtherAreas).La,
                dateOfBirth, sex);
            var learner = new Learner(person, DemoCsv.Uln(rng, ids.Ulns), rng.Chance(0.7) ? person.Upn : "", person.Surname,
                person.Forename, null,
                Math.Min(1, rng.Uniform(0.65, 1.05)));
            var start = rng.Chance(0.9) ? teachingStart : rng.Between(teachingStart, new DateOnly(year + 1, 2, 2));
            DateOnly? leftOn = rng.Chance(0.1) ? rng.Between(start.AddDays(30), yearEnd.AddDays(-20)) : null;
            learners.Add((learner, start, leftOn));
        }

        var rows = new List<string[]>();
        foreach (var (learner, start, leftOn) in learners.OrderBy(l => l.Learner.Person.Surname, StringComparer.Ordinal)
            .ThenBy(l => l.Learner.Uln, StringComparer.Ordinal))
        {
            var inCohort = learner.Child is not null;
            var main = rng.Pick(MainAims);
            var aims = new List<Aim> { main };
            // Learners without a grade 4: GCSE resits at level 2 study programmes and above, functional skills below.
            if (rng.Chance(inCohort ? 0.85 : 0.55))
                aims.Add(main.Level is "2" or "3" ? (rng.Chance(0.6) ? GcseEnglish : FsEnglishL2)
                    : (main.Level == "1" ? FsEnglishL1 : FsEnglishL2));
            if (rng.Chance(inCohort ? 0.85 : 0.5))
                aims.Add(main.Level is "2" or "3" ? (rng.Chance(0.6) ? GcseMaths : FsMathsL2)
                    : (main.Level == "1" ? FsMathsL2 : FsMathsE3));
            var brokeOff = leftOn is null && inCohort && rng.Chance(0.05);
            foreach (var aim in aims) rows.AddRange(AimRows(learner, aim, year, start, leftOn, yearEnd, brokeOff));
        }
        return rows;
    }

    private IEnumerable<string[]> AimRows(Learner learner, Aim aim, int year, DateOnly start, DateOnly? leftOn, DateOnly yearEnd,
        bool brokeOff)
    {
        var plannedEnd = aim.Kind == "main" && aim.Level == "3" ? yearEnd.AddYears(1) : yearEnd;
        // GCSE exams end in mid-June; functional skills tests are taken in May.
        DateOnly? end = leftOn ?? (aim.Kind == "gcse" ? new DateOnly(year + 1, 6, 12) : aim.Kind == "fs"
            ? new DateOnly(year + 1, 5, 15 + rng.Next(10)) : plannedEnd <= yearEnd ? yearEnd : null);
        if (brokeOff) end = new DateOnly(year + 1, 3, 20);
        string status, outcome = "", reason = "";
        if (leftOn is not null) { status = "3"; outcome = "3"; reason = rng.Weighted(WithdrawReasons); }
        else if (brokeOff) status = "6";
        else if (end is null) status = "1";
        else
        {
            status = "2";
            // In July 2026 last summer's results are known; this summer's GCSE results come in August.
            var pass = rng.Chance(learner.Child is null ? 0.6 : 0.45);
            outcome = aim.Kind == "gcse" && year == 2025 ? "8" : aim.Kind == "main" && year == 2025 && rng.Chance(0.3) ? "8" : pass ? "1"
                : "3";
        }

        for (var m = 0; m < Weeks.Length; m++)
        {
            var periodStart = new DateOnly(year, 9, 1).AddMonths(m);
            var periodEnd = periodStart.AddMonths(1).AddDays(-1);
            if (periodStart > new DateOnly(2026, 6, 30)) break;
            if (periodEnd < start || (end is { } e && periodStart > e)) continue;
            var share = 1.0;
            if (start > periodStart) share *= (periodEnd.DayNumber - start.DayNumber + 1) / 30.0;
            if (end is { } f && f < periodEnd) share *= (f.DayNumber - periodStart.DayNumber + 1) / 30.0;
            var planned = Math.Round(aim.WeeklyHours * Weeks[m] * Math.Clamp(share, 0.1, 1) * 2, MidpointRounding.AwayFromZero) / 2;
            if (planned <= 0) continue;
            // Attendance falls away in the months before a withdrawal.
            var ratio = Math.Clamp(learner.Attendance + rng.Uniform(-0.12, 0.08)
                - (leftOn is { } l && l.DayNumber - periodEnd.DayNumber < 60 ? 0.3 : 0), 0, 1);
            var attended = Math.Round(planned * ratio * 2, MidpointRounding.AwayFromZero) / 2;
            yield return
            [
                learner.Uln, learner.Upn, learner.Surname, learner.Forename, DemoCsv.Date(learner.Person.DateOfBirth), Ukprn, aim.Reference,
                    aim.Level,
                DemoCsv.Flag(aim.EnglishMaths), DemoCsv.Date(start), DemoCsv.Date(plannedEnd), DemoCsv.Date(status == "1" ? null : end),
                    status, outcome, reason,
                DemoCsv.Date(periodStart), DemoCsv.Date(periodEnd), DemoCsv.Number(planned), DemoCsv.Number(attended),
            ];
        }
    }
}
