using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// Case files for the worked examples of KPIs 1–3 and the NEET measure, quarter 2026-Q2 (1 April – 30 June 2026).
/// School age on a day in that quarter means under 16 on 31 August 2025: born September 2009 or later.
/// Ages are in completed years from each child's date of birth (only the month is shown below).
/// <code>
/// child  born     order (start → end)                              counted?                        age at start  school age at end
/// AES-01 2011-05  YRO 2026-01-10 → 2026-05-20                      yes                             14            yes
/// AES-02 2009-03  CUSTODY_DTO 2026-02-10 → 2026-06-30              yes (ends on the quarter's last day) 16       no
/// AES-03 2009-09  REFERRAL_ORDER 2025-10-01 → 2026-04-15           no: the YRO is more serious
///                 YRO 2026-01-05 → 2026-06-10                      yes (its end is "at end")       16            yes (15 on 31 Aug 2025)
/// AES-04 2007-09  YRO 2025-10-01 → 2026-05-01                      no: aged 18 at start
/// AES-05 2013-06  PREVENTION 2026-01-01 → 2026-05-01               no: prevention
/// AES-06 2011-08  REFERRAL_ORDER 2026-01-22 → 2026-05-05, appeal   no: changed on appeal
/// AES-07 2008-12  YOUTH_CAUTION 2026-03-01 → 2026-04-30            yes                             17            no
/// AES-08 2009-06  REFERRAL_ORDER 2025-12-01 → 2026-06-01           yes                             16            no (16 on 31 Aug 2025)
/// AES-09 2009-01  YRO 2026-01-15 → 2026-07-01                      no: ends after the quarter
/// AES-10 2013-02  COMMUNITY_RESOLUTION 2026-04-01 → 2026-04-01     yes                             13            yes
/// </code>
/// The population: AES-01, 02, 03, 07, 08, 10 — six children. The excluded children (04, 05, 06, 09) have suitable
/// accommodation, a SEND need with an EHCP and no ETE, so counting any of them would move every figure.
/// </summary>
public static class AccommodationEteSendScenario
{
    public static readonly Quarter Quarter = Quarter.Parse("2026-Q2");

    public static string Children => Csv(ChildrenHeader,
        $"AES-01,{Upn(101)},,Threlkeld,Owen,2011-05-10,1,WBRI,,Y",
        $"AES-02,{Upn(102)},,Mbeki-Vance,Jordan,2009-03-17,1,BCRB,,Y",
        $"AES-03,{Upn(103)},,Hollowbrook,Ruby,2009-09-20,2,MWBC,,Y",
        $"AES-04,{Upn(104)},,Castlemaine,Leon,2007-09-15,1,WBRI,,Y",
        $"AES-05,{Upn(105)},,Pennyworth,Isla,2013-06-03,2,WBRI,,Y",
        $"AES-06,{Upn(106)},,Ravensdale,Kai,2011-08-08,1,WBRI,,Y",
        $"AES-07,{Upn(107)},,Blackthorne,Dylan,2008-12-03,1,WBRI,,Y",
        $"AES-08,{Upn(108)},,Adeyemi-Frost,Grace,2009-06-11,2,BAFR,,Y",
        $"AES-09,{Upn(109)},,Marchbanks,Theo,2009-01-22,1,WBRI,,Y",
        $"AES-10,{Upn(110)},,Wintergreen,Skye,2013-02-14,9,REFU,,Y");

    public static string Interventions => Csv(InterventionsHeader,
        "AES-01,I-01,YRO,2026-01-08,2026-01-10,2026-05-20,N,",
        "AES-02,I-02,CUSTODY_DTO,2026-02-10,2026-02-10,2026-06-30,N,",
        "AES-03,I-03A,REFERRAL_ORDER,2025-09-28,2025-10-01,2026-04-15,N,",
        "AES-03,I-03B,YRO,2026-01-02,2026-01-05,2026-06-10,N,",
        "AES-04,I-04,YRO,2025-09-30,2025-10-01,2026-05-01,N,",
        "AES-05,I-05,PREVENTION,2026-01-01,2026-01-01,2026-05-01,N,",
        "AES-06,I-06,REFERRAL_ORDER,2026-01-20,2026-01-22,2026-05-05,Y,",
        "AES-07,I-07,YOUTH_CAUTION,2026-02-27,2026-03-01,2026-04-30,N,Y",
        "AES-08,I-08,REFERRAL_ORDER,2025-11-28,2025-12-01,2026-06-01,N,",
        "AES-09,I-09,YRO,2026-01-12,2026-01-15,2026-07-01,N,",
        "AES-10,I-10,COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT,2026-03-30,2026-04-01,2026-04-01,N,Y");

    /// <summary>
    /// AES-01: two placements open at the end, one unsuitable. AES-02: a placement ending the day before custody starts
    /// (open "at start") and one starting on the custody start day, UNKNOWN. AES-03: bed and breakfast recorded SUITABLE
    /// from 1 May (before its YRO's end, after its referral order's end). AES-10: no record.
    /// </summary>
    public static string Accommodation => Csv("yot_case_ref,start_date,end_date,accommodation_type,suitability",
        "AES-01,2025-01-01,,LIVING_WITH_PARENTS,SUITABLE",
        "AES-01,2026-05-01,,SUPPORTED_ACCOMMODATION,UNSUITABLE",
        "AES-02,2025-06-01,2026-02-09,LIVING_WITH_FAMILY,SUITABLE",
        "AES-02,2026-02-10,,STC,UNKNOWN",
        "AES-03,2025-01-01,2026-04-30,LIVING_WITH_PARENTS,SUITABLE",
        "AES-03,2026-05-01,,BED_AND_BREAKFAST,SUITABLE",
        "AES-04,2025-01-01,,LIVING_WITH_PARENTS,SUITABLE",
        "AES-05,2025-01-01,,LIVING_WITH_PARENTS,SUITABLE",
        "AES-06,2025-01-01,,LIVING_WITH_PARENTS,SUITABLE",
        "AES-07,2024-01-01,,LIVING_WITH_PARENTS,SUITABLE",
        "AES-08,2025-01-01,,FOSTER_CARE,SUITABLE",
        "AES-09,2025-01-01,,LIVING_WITH_PARENTS,SUITABLE");

    /// <summary>
    /// AES-02: college until the day before custody, nothing at the end. AES-03: two open arrangements, 10 + 10 hours.
    /// AES-07: NONE. AES-10: 12.5 hours, suitability UNKNOWN.
    /// </summary>
    public static string Ete => Csv("yot_case_ref,start_date,end_date,provision_type,suitability,hours_offered,hours_attended",
        "AES-01,2025-09-01,,SCHOOL_FULL_TIME,SUITABLE,25,20",
        "AES-02,2025-09-01,2026-02-09,COLLEGE,SUITABLE,16,14",
        "AES-03,2025-09-01,,SCHOOL_PART_TIME,SUITABLE,10,5",
        "AES-03,2026-03-01,,AP_OTHER,SUITABLE,10,10",
        "AES-07,2026-01-01,,NONE,UNSUITABLE,,",
        "AES-08,2026-02-01,,EMPLOYMENT_PART_TIME,SUITABLE,16,12",
        "AES-10,2026-03-01,,AP_PRU,UNKNOWN,12.5,7.5");

    /// <summary>AES-07's need-with-plan record ended on 31 March; the record open at its order's end shows no need.</summary>
    public static string Send => Csv("yot_case_ref,start_date,end_date,identified_need,formal_plan,plan_type",
        "AES-01,2024-01-01,,Y,Y,EHCP",
        "AES-02,2025-01-01,,Y,N,",
        "AES-04,2025-01-01,,Y,Y,EHCP",
        "AES-05,2025-01-01,,Y,Y,EHCP",
        "AES-06,2025-01-01,,Y,Y,EHCP",
        "AES-07,2025-01-01,2026-03-31,Y,Y,EHCP",
        "AES-07,2026-04-01,,N,N,",
        "AES-08,2024-06-01,,Y,Y,IDP",
        "AES-09,2025-01-01,,Y,Y,EHCP",
        "AES-10,2026-02-01,,Y,N,");

    /// <summary>Sends the case files into <paramref name="yot"/> and computes 2026-Q2; returns the results and the receipts.</summary>
    public static async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync(PipelineFixture fixture, string yot)
    {
        var provider = $"{yot}-case";
        string[] types = ["yot-children", "yot-interventions", "yot-accommodation", "yot-ete", "yot-send"];
        await fixture.AddAgreementAsync(Agreement(provider, yot, types, kind: "yot"));
        var receipts = new Dictionary<string, Receipt>(StringComparer.Ordinal);
        foreach (var (type, csv) in new[] { ("yot-children", Children), ("yot-interventions", Interventions),
            ("yot-accommodation", Accommodation),
                     ("yot-ete", Ete), ("yot-send", Send) })
            receipts[type] = await fixture.IngestAsync(provider, type, csv);
        var set = await fixture.Pipeline.Get<KpiEngine>().ComputeAsync(yot, Quarter, default);
        return (set, receipts);
    }

    public static (long, long) Fraction(this KpiResult k) => (k.Numerator, k.Denominator);

    public static IEnumerable<(string, long, long)> Groups(this KpiResult k, string dimension) =>
        k.Breakdowns[dimension].Select(g => (g.Group, g.Numerator, g.Denominator));
}
