using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;
using static YouthJustice.Pipeline.Tests.Kpis.Families.CaseFileSet;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// KPI 10 (victims), quarter 2026-Q2, worked out by hand.
/// <code>
/// child  order                                     offences     with an order ending?
/// VC-01  YRO 2026-01-12 → 2026-05-15 (male)        O-11, O-12   yes
/// VC-02  referral order → 2026-06-30 (female)       O-21         yes (last day of the quarter)
/// VC-03  YRO open                                   O-31         no
/// VC-04  YRO → 2026-05-01, not a local resident     O-41         no
///
/// victim (child, offence)  consented view  progress req/prov  support req/prov  engaged RJ   in KPI 10?
/// V-1 (VC-01, O-11)        Y         Y     Y/Y                Y/Y               Y            yes
/// V-1 (VC-01, O-12)        Y         N     N/-                N/-               N            the same victim: counted once, flags combined
/// V-2 (VC-01, O-12)        Y         N     Y/N                Y/N               N            yes
/// V-5 (VC-01, O-99)        Y         Y     -                  -                 Y            no: O-99 is no offence the YOT sent
/// V-3 (VC-02, O-21)        N         -     Y/Y                Y/N               N            yes
/// V-4 (VC-02, O-21)        Y         Y     Y/Y                Y/Y               Y            yes
/// V-6 (VC-03, O-31)        Y         Y     Y/Y                Y/Y               Y            no: order not ending
/// V-7 (VC-04, O-41)        Y         Y     Y/Y                Y/Y               Y            no: not local
/// </code>
/// Consented: V-1, V-2, V-4 = 3; engaged: V-1, V-4 = 2 → 2/3. Views sought: V-1, V-4 → 2/3.
/// Progress requested: V-1, V-2, V-3, V-4 = 4; provided: V-1, V-3, V-4 = 3 → 3/4.
/// Support requested: V-1, V-2, V-3, V-4 = 4; information provided: V-1, V-4 = 2 → 2/4.
/// </summary>
public sealed class VictimsKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi10";

    private static string Children => Csv(ChildrenHeader,
        $"VC-01,{Upn(941)},,Ashdown-Pryce,Owen,2010-03-14,1,WBRI,,Y",
        $"VC-02,{Upn(942)},,Okafor-Lindqvist,Zara,2011-06-22,2,BCRB,,Y",
        $"VC-03,{Upn(943)},,Penrose-Vance,Eli,2010-11-02,1,WBRI,,Y",
        $"VC-04,{Upn(944)},,Hollingsworth,Ada,2010-08-30,2,WBRI,,N");

    private static string Interventions => Csv(InterventionsHeader,
        "VC-01,I-1,YRO,2026-01-10,2026-01-12,2026-05-15,N,",
        "VC-02,I-2,REFERRAL_ORDER,2026-01-05,2026-01-06,2026-06-30,N,",
        "VC-03,I-3,YRO,2026-02-01,2026-02-01,,N,",
        "VC-04,I-4,YRO,2026-01-02,2026-01-03,2026-05-01,N,");

    private static string Offences => Csv(OffencesHeader,
        "VC-01,O-11,I-1,2025-11-01,2026-01-10,VIOLENCE_AGAINST_THE_PERSON,5,COMMUNITY",
        "VC-01,O-12,I-1,2025-11-01,2026-01-10,CRIMINAL_DAMAGE,3,COMMUNITY",
        "VC-02,O-21,I-2,2025-12-01,2026-01-05,THEFT,3,FIRST_TIER",
        "VC-03,O-31,I-3,2025-12-15,2026-02-01,ROBBERY,6,COMMUNITY",
        "VC-04,O-41,I-4,2025-12-20,2026-01-02,THEFT,3,COMMUNITY");

    private static string Victims => Csv(VictimsHeader,
        "VC-01,O-11,V-1,INDIVIDUAL,Y,Y,Y,Y,Y,Y,Y",
        "VC-01,O-12,V-1,INDIVIDUAL,Y,N,N,,N,,N",
        "VC-01,O-12,V-2,BUSINESS,Y,N,Y,N,Y,N,N",
        "VC-01,O-99,V-5,INDIVIDUAL,Y,Y,,,,,Y",
        "VC-02,O-21,V-3,INDIVIDUAL,N,,Y,Y,Y,N,N",
        "VC-02,O-21,V-4,INDIVIDUAL,Y,Y,Y,Y,Y,Y,Y",
        "VC-03,O-31,V-6,INDIVIDUAL,Y,Y,Y,Y,Y,Y,Y",
        "VC-04,O-41,V-7,OTHER,Y,Y,Y,Y,Y,Y,Y");

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        var receipts = await SendAsync(Fixture, Yot, ("yot-children", Children), ("yot-interventions", Interventions),
            ("yot-offences", Offences), ("yot-victims", Victims));
        return (await ComputeAsync(Yot, "2026-Q2"), receipts);
    }

    [Fact]
    public void Every_row_is_accepted()
    {
        Assert.Equal(4, Receipts["yot-children"].Rows.Accepted);
        Assert.Equal(4, Receipts["yot-interventions"].Rows.Accepted);
        Assert.Equal(8, Receipts["yot-victims"].Rows.Accepted);
        Assert.Equal(5, Receipts["yot-offences"].Rows.Accepted);
    }

    [Fact]
    public void Headline_is_victims_engaged_with_restorative_justice_of_those_who_consented()
    {
        var k = Kpi("kpi10-victims");
        Assert.Equal((2L, 3L), (k.Numerator, k.Denominator));
        Assert.Equal(2.0 / 3, k.Value!.Value, 10);
        // By the offending child: VC-01 (male, YRO) V-1 engaged, V-2 not; VC-02 (female, referral order) V-4 engaged.
        Assert.Equal([("Female", 1L, 1L), ("Male", 1L, 2L)], GroupFigures(k, "sex"));
        Assert.Equal([("Referral order", 1L, 1L), ("Youth rehabilitation order", 1L, 2L)], GroupFigures(k, "order-type"));
        Assert.Equal(Receipts.Values.Select(r => r.DropId).Order(StringComparer.Ordinal), k.SourceDrops);
    }

    [Fact]
    public void Sub_measures_views_progress_and_support()
    {
        var view = Kpi("kpi10-victims-view-sought");
        Assert.Equal((2L, 3L), (view.Numerator, view.Denominator));
        var progress = Kpi("kpi10-victims-progress");
        Assert.Equal((3L, 4L), (progress.Numerator, progress.Denominator));
        var support = Kpi("kpi10-victims-support");
        Assert.Equal((2L, 4L), (support.Numerator, support.Denominator));
    }
}
