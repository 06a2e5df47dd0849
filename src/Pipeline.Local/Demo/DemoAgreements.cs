using YouthJustice.Pipeline.Agreements;

namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>
/// One information-sharing agreement per provider of the demo YOT, each in force 2024-01-01..2027-12-31 and covering
/// the drop types that provider sends. St Aidan's agreement maps its MIS's column names (header aliases); Northbridge
/// Academy's withholds pupils' names, so its receipts list them as not shared and its pupils link by UPN only.
/// </summary>
internal static class DemoAgreements
{
    public const string YotName = "Northbridge Youth Justice Service";

    public static IReadOnlyList<Agreement> All() =>
    [
        New("ISA-DEMO-YOT-2024", new AgreementProvider { Id = DemoData.Yot, Kind = "yot", Name = YotName },
            $"Case-level data on the children supervised by {YotName}, so that its management board can monitor the YJB key " +
            "performance indicators and link the children's education records.",
            "Crime and Disorder Act 1998 s.39 and s.115; UK GDPR Art 6(1)(e); ethnicity and health under Art 9(2)(g) and " +
            "Data Protection Act 2018 Sch 1 para 6 (statutory purposes).",
            [.. DemoYot.DropTypes.Select(d => new AgreedDropType { DropType = d.DropType, Columns = [.. d.Columns] })]),
        New("ISA-DEMO-BOARD-2024", new AgreementProvider { Id = DemoBoard.Provider, Kind = "board-secretariat", Name = DemoBoard.Name },
            $"Attendance of partner agencies at the {YotName} management board (YJB KPI 8).",
            "Crime and Disorder Act 1998 s.39; UK GDPR Art 6(1)(e).",
            [new AgreedDropType { DropType = "board-attendance", Columns = [.. DemoBoard.Columns] }]),
        .. DemoSchools.Schools.Select(s => New($"ISA-DEMO-SCH-{s.Urn}",
            new AgreementProvider { Id = s.Provider, Kind = "school", Name = s.Name, Urn = s.Urn },
            $"Attendance, exclusions and roll (SEN, part-time timetables) of pupils of {s.Name}, so that the {YotName} management " +
            "board can monitor the education of children under youth justice supervision; rows of other pupils are discarded at the gate.",
            "Crime and Disorder Act 1998 s.115; Children Act 2004 s.10; UK GDPR Art 6(1)(e).",
            [
                SchoolDropType(s, "school-attendance", DemoSchools.AttendanceColumns),
                SchoolDropType(s, "school-exclusions", DemoSchools.ExclusionColumns),
                SchoolDropType(s, "school-roll", DemoSchools.RollColumns),
            ])),
        New("ISA-DEMO-COL-" + DemoCollege.Ukprn, new AgreementProvider { Id = DemoCollege.Provider, Kind = "college",
            Name = DemoCollege.Name, Ukprn = DemoCollege.Ukprn },
            $"Learning aims and attendance hours of learners at {DemoCollege.Name}, so that the {YotName} management board can monitor " +
            "the education and training of young people under youth justice supervision; rows of other learners are discarded at the gate.",
            "Crime and Disorder Act 1998 s.115; Education and Skills Act 2008 s.68; UK GDPR Art 6(1)(e).",
            [new AgreedDropType { DropType = "college-enrolment", Columns = [.. DemoCollege.Columns] }]),
    ];

    private static AgreedDropType SchoolDropType(School school, string dropType, string[] columns) => new()
    {
        DropType = dropType,
        // Names are not needed to link a pupil by UPN, so Northbridge Academy does not share them.
        Columns = school.WithholdsNames ? [.. columns.Where(c => c is not ("legal_forename" or "legal_surname"))] : [.. columns],
        HeaderAliases = school.Aliases?.GetValueOrDefault(dropType),
    };

    private static Agreement New(string id, AgreementProvider provider, string purpose, string lawfulBasis, AgreedDropType[] dropTypes) =>
        new()
    {
        Id = id,
        Provider = provider,
        Yot = DemoData.Yot,
        Purpose = purpose,
        LawfulBasis = lawfulBasis,
        ValidFrom = new DateOnly(2024, 1, 1),
        ValidTo = new DateOnly(2027, 12, 31),
        DropTypes = dropTypes,
        Retention = new RetentionPolicy { RawDropDays = 30, QuarantineDays = 30, CuratedDays = 2555 },
        RowErrorThreshold = 0.05,
    };
}
