using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Ingestion;

/// <summary>Blob triggers are at-least-once: the same drop processed again is recognised by content and changes nothing.</summary>
public sealed class IdempotencyTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task The_same_file_sent_twice_is_a_duplicate_and_changes_no_stored_state()
    {
        await HandCheckedScenario.LoadAsync(fixture);
        var before = await fixture.SnapshotAsync();

        var again = await fixture.IngestAsync(HandCheckedScenario.SchoolA, "school-attendance", HandCheckedScenario.SchoolAAttendance);
        var rerun = await fixture.Pipeline.Get<DropIngestor>().IngestAsync($"{HandCheckedScenario.SchoolA}/school-attendance/drop.csv", default);
        await fixture.DrainQueueAsync();

        Assert.Equal(ReceiptStatus.Duplicate, again.Status);
        Assert.Equal(ReceiptStatus.Duplicate, rerun.Status);
        Assert.Equal(26, again.RowsAccepted); // the first run's counts, so the sender sees what the original did
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task A_refused_file_sent_again_is_a_duplicate_too()
    {
        var bad = Csv("not,a,drop", "1,2,3");
        var first = await fixture.IngestAsync("school-unknown-twice", "school-attendance", bad, "bad.csv");
        var before = await fixture.SnapshotAsync();
        var second = await fixture.IngestAsync("school-unknown-twice", "school-attendance", bad, "bad.csv");
        Assert.Equal((ReceiptStatus.Rejected, ReceiptStatus.Duplicate), (first.Status, second.Status));
        Assert.Equal(first.DropId, second.DropId);
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task A_drop_id_is_the_content_hash()
    {
        var content = Csv(AttendanceHeader, $"{Upn(77)},Hash,Ali,2012-01-01,100001,2026-04-20,AM,/");
        var receipt = await fixture.IngestAsync("school-hash", "school-attendance", content, "hash.csv");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Bytes(content))), receipt.DropId);
        Assert.Contains($"school-hash/{receipt.DropId}.json", await fixture.BlobNamesAsync(StorageNames.ReceiptsContainer));
    }
}
