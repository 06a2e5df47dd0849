using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis.Families;

/// <summary>
/// KPI 8 (management board attendance), quarter 2026-Q2, worked out by hand. Attended / senior / new partner:
/// <code>
/// sector                  2026-03-12 (Q1)  2026-04-16   2026-06-18   2026-07-16 (Q3)   senior in Q2?
/// CHILDRENS_SOCIAL_CARE   Y Y              Y Y          Y Y                            yes
/// EDUCATION               Y N              Y N          Y Y                            yes (June)
/// POLICE                  Y Y              Y N          Y N          Y Y               no: a delegate at every Q2 meeting
/// PROBATION               Y Y              Y N          Y N                            no: delegate only (senior in Q1 only)
/// HEALTH                  Y Y              N N          N Y                            no: "senior" without attending (a query)
/// OTHER                   Y N              Y N new      Y Y                            not a statutory sector
/// </code>
/// Headline: 2 of 5 sectors. Places at Q2 meetings: 2 meetings × 5 sectors = 10.
/// Senior: CSC 2 + EDU 1 = 3 of 10. Delegate only: EDU 1 + POLICE 2 + PROBATION 2 = 5 of 10.
/// New partners: OTHER's partner on 16 April, of the 12 partner rows at Q2 meetings = 1 of 12.
/// </summary>
public sealed class BoardAttendanceKpiTests(PipelineFixture fixture) : WorkedKpiTests(fixture)
{
    private const string Yot = "yot-worked-kpi8";
    private const string Provider = "yot-worked-kpi8-board";

    private static string Board => Csv("meeting_date,sector,attended,senior,new_partner",
        "2026-03-12,CHILDRENS_SOCIAL_CARE,Y,Y,N", "2026-03-12,EDUCATION,Y,N,N", "2026-03-12,POLICE,Y,Y,N",
        "2026-03-12,PROBATION,Y,Y,N", "2026-03-12,HEALTH,Y,Y,N", "2026-03-12,OTHER,Y,N,N",
        "2026-04-16,CHILDRENS_SOCIAL_CARE,Y,Y,N", "2026-04-16,EDUCATION,Y,N,N", "2026-04-16,POLICE,Y,N,N",
        "2026-04-16,PROBATION,Y,N,N", "2026-04-16,HEALTH,N,N,N", "2026-04-16,OTHER,Y,N,Y",
        "18/06/2026,CHILDRENS_SOCIAL_CARE,Y,Y,N", "18/06/2026,EDUCATION,Y,Y,N", "18/06/2026,POLICE,Y,N,N",
        "18/06/2026,PROBATION,Y,N,", "18/06/2026,HEALTH,N,Y,N", "18/06/2026,OTHER,Y,Y,N",
        "2026-07-16,POLICE,Y,Y,N");

    private Receipt BoardReceipt => Receipts["board-attendance"];

    protected override async Task<(KpiSet Set, IReadOnlyDictionary<string, Receipt> Receipts)> LoadAsync()
    {
        await Fixture.AddAgreementAsync(Agreement(Provider, Yot, ["board-attendance"], kind: "board-secretariat"));
        var receipt = await Fixture.IngestAsync(Provider, "board-attendance", Board);
        return (await ComputeAsync(Yot, "2026-Q2"), new Dictionary<string, Receipt> { ["board-attendance"] = receipt });
    }

    [Fact]
    public void Every_row_passes_the_gate_the_senior_without_attendance_row_as_a_query()
    {
        Assert.Equal(19, BoardReceipt.Rows.Accepted);
        Assert.Equal(0, BoardReceipt.Rows.Rejected);
    }

    [Fact]
    public void Headline_counts_sectors_with_a_senior_attendee_out_of_five()
    {
        // CSC and EDUCATION; POLICE and PROBATION sent only delegates in Q2, HEALTH never attended.
        var k = Kpi("kpi8-board-attendance");
        Assert.Equal((2L, 5L), (k.Numerator, k.Denominator));
        Assert.Equal(0.4, k.Value!.Value, 10);
        Assert.Empty(k.Breakdowns);
        Assert.Equal([BoardReceipt.DropId], k.SourceDrops);
    }

    [Fact]
    public void A_sector_attending_only_by_delegate_is_not_counted_but_shows_as_delegated()
    {
        var senior = Kpi("kpi8-board-attendance-senior");
        Assert.Equal((3L, 10L), (senior.Numerator, senior.Denominator));
        Assert.Equal(
            [("Children's social care", 2L, 2L), ("Education", 1L, 2L), ("Police", 0L, 2L), ("Probation", 0L, 2L), ("Health", 0L, 2L)],
            senior.Breakdowns["sector"].Select(g => (g.Group, g.Numerator, g.Denominator)));

        var delegated = Kpi("kpi8-board-attendance-delegated");
        Assert.Equal((5L, 10L), (delegated.Numerator, delegated.Denominator));
        Assert.Equal(
            [("Children's social care", 0L, 2L), ("Education", 1L, 2L), ("Police", 2L, 2L), ("Probation", 2L, 2L), ("Health", 0L, 2L)],
            delegated.Breakdowns["sector"].Select(g => (g.Group, g.Numerator, g.Denominator)));
    }

    [Fact]
    public void New_partners_are_counted_among_all_partners_at_the_quarters_meetings()
    {
        var k = Kpi("kpi8-board-attendance-new-partners");
        Assert.Equal((1L, 12L), (k.Numerator, k.Denominator));
    }

    [Fact]
    public async Task Stored_results_keep_the_sector_breakdown()
    {
        await Fixture.Pipeline.Get<KpiRecomputer>().RecomputeAsync(new KpiRecomputeRequest(Yot, "2026-Q2"), default);
        var stored = (await Fixture.Pipeline.Get<KpiStore>().ReadAsync(Yot, "2026-Q2", default))!;
        var k = Assert.Single(stored.Kpis, r => r.Id == "kpi8-board-attendance-senior");
        Assert.Equal((3L, 10L), (k.Numerator, k.Denominator));
        Assert.Equal((2L, 2L), k.Breakdowns["sector"].Where(g => g.Group == "Children's social care")
            .Select(g => (g.Numerator, g.Denominator)).Single());
    }

    [Fact]
    public async Task A_quarter_without_meetings_has_no_places_and_no_senior_sectors()
    {
        // 2025-Q4: no rows. Headline 0 of 5 (a value of 0: the board did not meet); sub-measures have no places → null.
        var set = await Fixture.Pipeline.Get<KpiEngine>().ComputeAsync(Yot, Quarter.Parse("2025-Q4"), default);
        var headline = Assert.Single(set.Kpis, k => k.Id == "kpi8-board-attendance");
        Assert.Equal((0L, 5L), (headline.Numerator, headline.Denominator));
        Assert.Null(Assert.Single(set.Kpis, k => k.Id == "kpi8-board-attendance-senior").Value);
    }
}
