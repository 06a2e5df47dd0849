using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>
/// A small YOT whose attendance measures for 2026-Q2 are worked out by hand in the tests:
/// <list type="bullet">
/// <item>A1 (UPN 1): referral order open through Q2, born 2012-03 → 13 at start, male, WBRI. In caseload.</item>
/// <item>A2 (UPN 2): YRO 2026-02-01 to 2026-05-15, born 2010-07 → 15 at start, female, MWBC. In caseload.</item>
/// <item>A3 (UPN 3): caution ended 2026-03-31, before Q2. Not in caseload (but in the cohort).</item>
/// <item>A4 (UPN 4): YRO open, but supervised for another area (local_resident N). Not in caseload.</item>
/// <item>A5 (UPN 5): PREVENTION only. Not in caseload.</item>
/// </list>
/// School A (URN 100001): UPN 1 has 8 × '/', 1 × 'I', 1 × '#'; UPN 2 has 4 × '/', 1 × 'L', 5 × 'O'; UPN 3 4 × '/';
/// UPN 4 2 × '/'; UPN 90 (not known to the YOT) 2 × '/'. School B (URN 100002): UPN 1 has 'B' and 'N' (dual registration).
/// </summary>
public static class HandCheckedScenario
{
    public const string Yot = "yot-hand";
    public const string YotProvider = "yot-hand-case";
    public const string SchoolA = "school-hand-a";
    public const string SchoolB = "school-hand-b";
    public static readonly DateOnly Monday = new(2026, 4, 20);

    /// <summary>Every raw identifier in the scenario's files, for the privacy scans.</summary>
    public static IReadOnlyList<string> RawIdentifiers { get; } =
    [
        Upn(1), Upn(2), Upn(3), Upn(4), Upn(5), Upn(90),
        "HC-0001", "HC-0002", "HC-0003", "HC-0004", "HC-0005",
        "Okonkwo-Hale", "Brightwater", "Featherstone", "Quillfeather", "Abernethy", "Zephyrine", "Outsider",
        "2012-03-15", "2010-07-02", "2011-01-20", "2012-05-05", "2013-02-01", "15/03/2012", "02/07/2010",
        "LS6 2AB", "LS11 5QP",
    ];

    public static string Children => Csv(ChildrenHeader,
        $"HC-0001,{Upn(1)},,Okonkwo-Hale,Tobias,2012-03-15,1,WBRI,LS6 2AB,Y",
        $"HC-0002,{Upn(2)},,Brightwater,Mia,02/07/2010,2,MWBC,LS11 5QP,Y",
        $"HC-0003,{Upn(3)},,Featherstone,Jay,2011-01-20,1,BCRB,,Y",
        $"HC-0004,{Upn(4)},,Quillfeather,Ava,2012-05-05,2,WBRI,,N",
        $"HC-0005,{Upn(5)},,Abernethy,Sam,2013-02-01,1,WBRI,,Y");

    public static string Interventions => Csv(InterventionsHeader,
        "HC-0001,I-1,REFERRAL_ORDER,2026-01-08,2026-01-10,,N,",
        "HC-0002,I-2,YRO,2026-01-30,2026-02-01,2026-05-15,N,",
        "HC-0003,I-3,YOUTH_CAUTION,2025-08-30,2025-09-01,2026-03-31,N,Y",
        "HC-0004,I-4,YRO,2026-01-05,2026-01-06,,N,",
        "HC-0005,I-5,PREVENTION,2026-01-05,2026-01-06,,N,");

    public static string SchoolAAttendance => Csv(
        [AttendanceHeader,
        .. Marks(Upn(1), "Okonkwo-Hale", "2012-03-15", "100001", Monday, "/", "/", "/", "/", "I", "/", "/", "#", "/", "/"),
        .. Marks(Upn(2), "Brightwater", "02/07/2010", "100001", Monday, "/", "/", "L", "O", "O", "/", "O", "O", "/", "O"),
        .. Marks(Upn(3), "Featherstone", "2011-01-20", "100001", Monday, "/", "/", "/", "/"),
        .. Marks(Upn(4), "Quillfeather", "2012-05-05", "100001", Monday, "/", "/"),
        .. Marks(Upn(90), "Outsider", "2012-09-09", "100001", Monday, "/", "/")]);

    public static string SchoolBAttendance => Csv(
        [AttendanceHeader, .. Marks(Upn(1), "Okonkwo-Hale", "2012-03-15", "100002", Monday, "B", "N")]);

    public static async Task LoadAsync(PipelineFixture fixture)
    {
        await fixture.AddAgreementAsync(Agreement(YotProvider, Yot, ["yot-children", "yot-interventions"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement(SchoolA, Yot, ["school-attendance"]));
        await fixture.AddAgreementAsync(Agreement(SchoolB, Yot, ["school-attendance"]));
        await fixture.IngestAsync(YotProvider, "yot-children", Children);
        await fixture.IngestAsync(YotProvider, "yot-interventions", Interventions);
        await fixture.IngestAsync(SchoolA, "school-attendance", SchoolAAttendance);
        await fixture.IngestAsync(SchoolB, "school-attendance", SchoolBAttendance);
        await fixture.DrainQueueAsync();
    }
}
