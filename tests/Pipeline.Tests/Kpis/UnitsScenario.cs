using System.Text;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using YouthJustice.Pipeline.Tests.Kpis.Families;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>
/// A YOT whose figures have units other than children, 2026-Q2, worked out by hand:
/// <code>
/// UN-1  YRO 2026-01-12 → 2026-06-05; ETE at the end: college, 25.5 h offered, 12.5 attended a week → kpi2-ete-hours-attended 12.5 of 25.5
///     hours
///       college: April 15.5 h planned, 12.5 attended; May 14.5 planned, 12 attended → ete-college-attendance 24.5 of 30 hours
///       robbery, score 6, outcome 2026-05-01 (serious)
/// UN-2  YRO from 2026-01-12, open; violence, score 7, first-tier outcome 2026-05-20 (serious)
///       → kpi9-serious-violence 2 offences per 10,000 of 20,000 (the 2025 estimate) = 1.0 per 10,000
/// UN-3  youth caution 2024-11-01 (the reoffending cohort, 2024-Q4, index 1 November 2024); reoffends twice:
///       theft 2025-01-10 (outcome 2025-03-01) and 2025-06-01 (outcome 2025-08-01), both court → nat-reoffending-frequency 2 reoffences per
///           child
/// </code>
/// In minutes (how hours were once shown) college attendance would be 1,470 of 1,800; as a percentage the frequency 200%.
/// </summary>
public static class UnitsScenario
{
    public const string Yot = "yot-units";
    public static readonly Quarter Quarter = Quarter.Parse("2026-Q2");
    public const string PopulationSource = "ONS mid-2025 estimates (test)";

    public static readonly string UlnUn1 = Uln();

    private static string Uln()
    {
        for (var n = 1; ; n++)
        {
            var nine = $"77700{n:0000}";
            if (UlnCheck.CheckDigit(nine) is { } check) return nine + check;
        }
    }

    public static string Children => Csv(ChildrenHeader,
        $"UN-1,{Upn(601)},{UlnUn1},Unitwell,Ada,2010-03-03,2,WBRI,,Y",
        $"UN-2,{Upn(602)},,Hourglass,Ben,2010-04-04,1,WBRI,,Y",
        $"UN-3,{Upn(603)},,Ratecliffe,Cal,2009-05-05,1,WBRI,,Y");

    public static string Interventions => Csv(InterventionsHeader,
        "UN-1,I-1,YRO,2026-01-10,2026-01-12,2026-06-05,N,",
        "UN-2,I-2,YRO,2026-01-10,2026-01-12,,N,",
        "UN-3,I-3,YOUTH_CAUTION,2024-11-01,2024-11-01,2025-02-01,N,Y");

    public static string Offences => Csv(OffencesHeader,
        "UN-1,O-1,I-1,2026-03-01,2026-05-01,ROBBERY,6,COMMUNITY",
        "UN-2,O-2,I-2,2026-04-10,2026-05-20,VIOLENCE_AGAINST_THE_PERSON,7,FIRST_TIER",
        "UN-3,O-3,I-3,2024-10-01,2024-11-01,THEFT,2,PRE_COURT",
        "UN-3,O-4,,2025-01-10,2025-03-01,THEFT,3,FIRST_TIER",
        "UN-3,O-5,,2025-06-01,2025-08-01,THEFT,3,FIRST_TIER");

    public static string Ete => Csv("yot_case_ref,start_date,end_date,provision_type,suitability,hours_offered,hours_attended",
        "UN-1,2025-09-01,,COLLEGE,SUITABLE,25.5,12.5");

    public static string Enrolments =>
        Csv("uln,upn,legal_surname,legal_forename,date_of_birth,ukprn,aim_reference,aim_level,english_maths,start_date,"
            + "planned_end_date,actual_end_date,completion_status,outcome,withdraw_reason,period_start,period_end,planned_hours," +
                "attended_hours",
        $"{UlnUn1},,Unitwell,Ada,2010-03-03,10000088,60000088,1,N,2025-09-01,2026-07-15,,1,,,2026-04-01,2026-04-30,15.5,12.5",
        $"{UlnUn1},,Unitwell,Ada,2010-03-03,10000088,60000088,1,N,2025-09-01,2026-07-15,,1,,,2026-05-01,2026-05-31,14.5,12");

    public static string PopulationFile(long population2025, string source = PopulationSource) =>
        $"yot,year,population,source\r\n{Yot},2025,{population2025},\"{source}\"\r\n";

    /// <summary>Sends the files, loads the area's population as <c>pipeline population load</c> does, and stores 2026-Q2's
    /// results.</summary>
    public static async Task LoadAsync(PipelineFixture fixture)
    {
        await CaseFileSet.SendAsync(fixture, Yot, ("yot-children", Children), ("yot-interventions", Interventions),
            ("yot-offences", Offences), ("yot-ete", Ete));
        await fixture.AddAgreementAsync(Agreement($"{Yot}-college", Yot, ["college-enrolment"], kind: "college"));
        await fixture.IngestAsync($"{Yot}-college", "college-enrolment", Enrolments);
        await fixture.DrainQueueAsync();
        Assert.Equal(ExitCodes.Success, await LoadPopulationAsync(fixture, PopulationFile(20_000)));
        await fixture.Pipeline.Get<KpiRecomputer>().RecomputeAsync(new KpiRecomputeRequest(Yot, Quarter.ToString()), default);
    }

    public static Task<int> LoadPopulationAsync(PipelineFixture fixture, string csv, TextWriter? output = null, TextWriter? error = null) =>
        PopulationCommand.LoadAsync(fixture.Pipeline, new MemoryStream(Encoding.UTF8.GetBytes(csv)), output ?? TextWriter.Null,
            error ?? TextWriter.Null, default);
}
