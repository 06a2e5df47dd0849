using Azure.Data.Tables;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Ingestion;

/// <summary>
/// Issue 15 item 3: a drop's ingest costs the same whatever the YOT sent before it. Its quarters touched come from its
/// own rows and the current view of interventions, its linkage from the current views of children and interventions,
/// and the quality report from the quarter's tally: it reads no other drop's receipt or curated file, and the same
/// blobs after four monthly extracts as after one.
/// </summary>
public sealed class IngestReadsTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Yot = "yot-reads";
    private const string Provider = "yot-reads-case";

    private static string Children(int month) => Csv(ChildrenHeader,
        $"IR-01,{Upn(501)},,Ashdown,Ria,2010-02-0{1 + month % 2},2,WBRI,,Y",
        $"IR-02,{Upn(502)},,Brackley,Tom,2010-03-04,1,WBRI,,Y",
        $"IR-03,{Upn(503)},,Cotterell,Ana,2009-08-09,2,WBRI,,Y");

    private static string Interventions(int month) => Csv(InterventionsHeader,
        $"IR-01,I-1,YRO,2025-09-01,2025-09-02,2026-0{1 + month % 3}-01,N,",
        "IR-02,I-2,REFERRAL_ORDER,2026-01-10,2026-01-11,,N,",
        "IR-03,I-3,YOUTH_CAUTION,2025-11-05,2025-11-05,2026-02-05,N,Y");

    private static string Offences(int month) => Csv(OffencesHeader,
        $"IR-01,O-1,I-1,2025-08-01,2025-09-01,THEFT,{2 + month % 3},COMMUNITY",
        "IR-02,O-2,I-2,2025-12-01,2026-01-10,BURGLARY,5,FIRST_TIER",
        "IR-03,O-3,I-3,2025-10-01,2025-11-05,THEFT,2,PRE_COURT");

    private async Task SendExtractAsync(int month)
    {
        await fixture.IngestAsync(Provider, "yot-children", Children(month), $"children-{month}.csv");
        await fixture.IngestAsync(Provider, "yot-interventions", Interventions(month), $"interventions-{month}.csv");
        await fixture.IngestAsync(Provider, "yot-offences", Offences(month), $"offences-{month}.csv");
        // The recomputes the extract asks for, which fold it into the current views.
        await fixture.DrainQueueAsync();
    }

    /// <summary>The blobs read, by container, while one more offences file is ingested; and that file's own curated files.</summary>
    private async Task<(IReadOnlyDictionary<string, long> Reads, int OwnFiles)> MeasureAsync(int month)
    {
        using var counted = new CountedMetrics();
        var receipt = await fixture.IngestAsync(Provider, "yot-offences", Offences(month)
            + $"IR-03,O-9{month},,2025-10-0{1 + month},2025-11-05,THEFT,2,PRE_COURT\r\n",
            $"offences-late-{month}.csv");
        Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        var row = (await fixture.Storage.Table(StorageNames.DropsTable).GetEntityAsync<TableEntity>(Provider, receipt.DropId)).Value;
        var reads = counted.Tags("pipeline.blobs.read").GroupBy(t => t["container"]!).ToDictionary(g => g.Key, g => (long)g.Count());
        return (reads, DropLedger.CuratedBlobsOf(row).Count);
    }

    [Fact]
    public async Task A_drop_reads_no_other_drops_receipts_or_curated_files_and_the_same_blobs_in_month_four_as_in_month_one()
    {
        await fixture.AddAgreementAsync(Agreement(Provider, Yot, ["yot-children", "yot-interventions", "yot-offences"], kind: "yot"));
        await SendExtractAsync(1);
        var (first, firstOwn) = await MeasureAsync(1);
        for (var month = 2; month <= 4; month++) await SendExtractAsync(month);
        var (later, laterOwn) = await MeasureAsync(4);

        foreach (var (reads, own) in new[] { (first, firstOwn), (later, laterOwn) })
        {
            Assert.False(reads.ContainsKey(StorageNames.ReceiptsContainer), string.Join(", ", reads));
            Assert.Equal(own, reads.GetValueOrDefault(StorageNames.CuratedContainer));
        }
        Assert.Equal(first.OrderBy(kv => kv.Key), later.OrderBy(kv => kv.Key));
    }
}
