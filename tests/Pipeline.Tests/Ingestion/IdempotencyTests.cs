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
        var rerun = await fixture.Pipeline.Get<DropIngestor>()
            .IngestAsync($"{HandCheckedScenario.SchoolA}/school-attendance/drop.csv", default);
        await fixture.DrainQueueAsync();

        Assert.Equal(ReceiptStatus.Duplicate, again.Status);
        Assert.Equal(ReceiptStatus.Duplicate, rerun.Status);
        Assert.Equal(26, again.Rows.Accepted); // the first run's counts, so the sender sees what the original did
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task A_refused_file_sent_again_is_a_new_attempt_that_changes_nothing_but_its_times()
    {
        var bad = Csv("not,a,drop", "1,2,3");
        var first = await fixture.IngestAsync("school-unknown-twice", "school-attendance", bad, "bad.csv");
        var before = await fixture.SnapshotAsync();
        var second = await fixture.IngestAsync("school-unknown-twice", "school-attendance", bad, "bad.csv");
        // Refused again, not "duplicate": a refusal is not final (the agreement may have been loaded since).
        Assert.Equal((ReceiptStatus.Rejected, ReceiptStatus.Rejected), (first.Status, second.Status));
        Assert.Equal(first.DropId, second.DropId);
        Assert.Equal(ReceiptJson.Serialize(first with { ReceivedAt = default, ProcessedAt = default }),
            ReceiptJson.Serialize(second with { ReceivedAt = default, ProcessedAt = default }));
        Assert.Equal(Stable(before), Stable(await fixture.SnapshotAsync()));
    }

    /// <summary>A snapshot without what a new attempt of the same refusal changes: its times, its attempt number and its audit
    /// rows.</summary>
    private static IEnumerable<string> Stable(IEnumerable<string> snapshot) => snapshot
        .Where(l => !l.StartsWith("row Audit/", StringComparison.Ordinal) && !l.StartsWith("blob receipts/", StringComparison.Ordinal)
                    && !l.StartsWith("blob quarantine/", StringComparison.Ordinal)
                        && !l.StartsWith("blob reports/", StringComparison.Ordinal))
        .Select(l => System.Text.RegularExpressions.Regex.Replace(l, "(ReceivedAt|ProcessedAt|Attempt)=[^,]*", "$1=…"));

    [Fact]
    public async Task A_drop_id_is_the_hash_of_provider_drop_type_and_content()
    {
        var content = Csv(AttendanceHeader, $"{Upn(77)},Hash,Ali,2012-01-01,100001,2026-04-20,AM,/");
        var receipt = await fixture.IngestAsync("school-hash", "school-attendance", content, "hash.csv");
        // What `(printf 'school-hash\nschool-attendance\n'; cat hash.csv) | sha256sum` prints.
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Bytes("school-hash\nschool-attendance\n" + content))),
            receipt.DropId);
        Assert.Contains($"school-hash/{receipt.DropId}.json", await fixture.BlobNamesAsync(StorageNames.ReceiptsContainer));
    }
}
