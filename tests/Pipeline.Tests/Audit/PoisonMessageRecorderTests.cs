using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Audit;

/// <summary>The poison functions' entry point, against Azurite: a message the runtime gave up on becomes one Audit row.</summary>
public sealed class PoisonMessageRecorderTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private PoisonMessageRecorder Recorder => fixture.Pipeline.Get<PoisonMessageRecorder>();
    private AuditLog Audit => fixture.Pipeline.Get<AuditLog>();

    [Fact]
    public async Task A_poison_kpi_message_is_recorded_once_however_often_it_is_delivered()
    {
        const string message = """{"yot":"demo-yot","period":"2026-Q2"}""";
        var first = await Recorder.RecordAsync(StorageNames.KpiRecomputePoisonQueue, message, default);
        await Recorder.RecordAsync(StorageNames.KpiRecomputePoisonQueue, message, default);

        var row = Assert.Single(await Audit.ForSubjectAsync(first.Subject, default));
        Assert.Equal(PoisonMessageRecorder.Step, row.Step);
        Assert.Equal(message, row.Detail);
        Assert.Contains(StorageNames.KpiRecomputePoisonQueue, row.Action);
        Assert.StartsWith($"poison-{StorageNames.KpiRecomputePoisonQueue}-", row.Subject);
    }

    [Fact]
    public async Task A_poison_blob_message_is_audited_but_its_blob_path_stays_out_of_the_logs()
    {
        const string blob = "school-poison-test/school-attendance/term-1.csv";
        var message = """{"Type":"BlobTrigger","FunctionId":"Host.Functions.IngestDrop","BlobType":"BlockBlob","Container"""
            + $$"""Name":"drops","BlobName":"{{blob}}","ETag":"\"0x8DC\""}""";
        var entry = await Recorder.RecordAsync(StorageNames.BlobTriggerPoisonQueue, message, default);

        var row = Assert.Single(await Audit.ForSubjectAsync(entry.Subject, default));
        Assert.Contains(blob, row.Detail);
        Assert.Contains(fixture.Logs, line => line.Contains(StorageNames.BlobTriggerPoisonQueue, StringComparison.Ordinal)
            && line.Contains(entry.Subject, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs, line => line.Contains(blob, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Different_messages_get_different_rows_and_long_ones_are_cut()
    {
        var a = await Recorder.RecordAsync(StorageNames.KpiRecomputePoisonQueue, """{"yot":"a","period":"2026-Q1"}""", default);
        var b = await Recorder.RecordAsync(StorageNames.KpiRecomputePoisonQueue, """{"yot":"b","period":"2026-Q1"}""", default);
        Assert.NotEqual(a.Subject, b.Subject);

        var huge = await Recorder.RecordAsync(StorageNames.KpiRecomputePoisonQueue, new string('x', 100_000), default);
        var row = Assert.Single(await Audit.ForSubjectAsync(huge.Subject, default));
        Assert.Equal(PoisonMessageRecorder.MaxDetailLength + 1, row.Detail!.Length);
    }
}
