using System.Text.Json;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Retention;

/// <summary>
/// After retention: a file sent again is still a duplicate, and its new raw copy goes after its own time; a drop whose
/// agreement was withdrawn takes the strictest of the provider's agreements; a provider with none keeps its data and
/// is reported; <c>pipeline retention</c> and <c>pipeline audit --since</c> show it all.
/// </summary>
public sealed class RetentionEdgeTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Yot = "yot-ret-edge";
    private RetentionJob Job => fixture.Pipeline.Get<RetentionJob>();

    private static Agreement Keeping(Agreement a, int raw, int quarantine = 30, int curated = 3650) =>
        a with { Retention = new RetentionPolicy { RawDropDays = raw, QuarantineDays = quarantine, CuratedDays = curated } };

    private static string Attendance(int serial, string surname) =>
        Csv([AttendanceHeader, .. Marks(Upn(serial), surname, "2012-01-01", "100009", new DateOnly(2026, 4, 20), "/", "/")]);

    [Fact]
    public async Task A_file_sent_again_after_its_raw_copy_was_deleted_is_still_a_duplicate_and_its_copy_goes_too()
    {
        const string provider = "school-ret-dup";
        var t0 = fixture.Pipeline.Get<TimeProvider>().GetUtcNow();
        await fixture.AddAgreementAsync(Keeping(Agreement(provider, Yot, ["school-attendance"]), raw: 10));
        var content = Attendance(61, "Dupwell");
        var first = await fixture.IngestAsync(provider, "school-attendance", content, "dup.csv");
        await Job.RunAsync(t0.AddDays(11), default);
        Assert.Empty(await fixture.BlobNamesAsync(StorageNames.DropsContainer, $"{provider}/"));

        var again = await fixture.IngestAsync(provider, "school-attendance", content, "dup.csv");
        Assert.Equal((ReceiptStatus.Duplicate, first.DropId, first.Rows.Accepted), (again.Status, again.DropId, again.Rows.Accepted));

        // The re-sent copy (its own arrival) is found by its content and deleted once its own time has passed too.
        var plan = await Job.PlanAsync(t0.AddDays(11), default);
        var copy = Assert.Single(plan.Deletions, d => d.Provider == provider);
        Assert.Equal((RetentionKinds.RawDrop, first.DropId), (copy.Kind, copy.DropId));
        await Job.ApplyAsync(plan, default);
        Assert.Empty(await fixture.BlobNamesAsync(StorageNames.DropsContainer, $"{provider}/"));
        var rows = await fixture.Pipeline.Get<AuditLog>().ForSubjectAsync($"drop-{first.DropId}", default);
        Assert.Equal(2, rows.Count(r => r.Actor == RetentionJob.Actor)); // one per deletion: the first copy and the re-sent one
    }

    [Fact]
    public async Task A_withdrawn_agreement_gives_way_to_the_strictest_of_the_providers_and_no_agreement_keeps_and_reports()
    {
        const string provider = "school-ret-moved";
        var t0 = fixture.Pipeline.Get<TimeProvider>().GetUtcNow();
        var original = Keeping(Agreement(provider, Yot, ["school-attendance"]), raw: 100);
        await fixture.AddAgreementAsync(original);
        var receipt = await fixture.IngestAsync(provider, "school-attendance", Attendance(62, "Movewell"), "moved.csv");
        await fixture.Storage.Table(StorageNames.AgreementsTable).DeleteEntityAsync(provider, original.Id);
        await fixture.AddAgreementAsync(Keeping(Agreement(provider, Yot, ["school-attendance"]) with { Id = "ISA-moved-new-a" }, raw: 50));
        await fixture.AddAgreementAsync(Keeping(Agreement(provider, Yot, ["school-attendance"]) with { Id = "ISA-moved-new-b" }, raw: 5));

        const string stranger = "school-ret-stranger";
        var refused = await fixture.IngestAsync(stranger, "school-attendance", Attendance(63, "Strangewell"), "stranger.csv");
        Assert.Equal(ReceiptStatus.Rejected, refused.Status);

        var plan = await Job.PlanAsync(t0.AddDays(6), default);
        var raw = Assert.Single(plan.Deletions, d => d.Provider == provider);
        Assert.Equal((receipt.DropId, 5, original.Id), (raw.DropId, raw.RetentionDays, raw.Agreement));
        Assert.Contains("strictest", raw.PolicyBasis, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Deletions, d => d.Provider == stranger);
        Assert.Contains(plan.Kept, k => (k.Kind, k.Provider) == (RetentionKinds.RawDrop, stranger));
        Assert.Contains(plan.Kept, k => (k.Kind, k.Provider, k.DropId) == (RetentionKinds.Quarantine, stranger, refused.DropId));

        // The verb: a dry run prints the same and deletes nothing; no sender file name is printed.
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await RetentionCommand.ApplyAsync(Job, dryRun: true, t0.AddDays(6), json: true, output, default));
        using var json = JsonDocument.Parse(output.ToString());
        Assert.True(json.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Contains(json.RootElement.GetProperty("deletions").EnumerateArray(), d =>
            d.GetProperty("dropId").GetString() == receipt.DropId);
        Assert.DoesNotContain("moved.csv", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{provider}/school-attendance/moved.csv", await fixture.BlobNamesAsync(StorageNames.DropsContainer));
    }

    [Fact]
    public async Task Pipeline_audit_since_shows_the_ingest_steps_and_the_deletions()
    {
        const string provider = "school-ret-audit";
        var t0 = fixture.Pipeline.Get<TimeProvider>().GetUtcNow();
        await fixture.AddAgreementAsync(Keeping(Agreement(provider, Yot, ["school-attendance"]), raw: 3));
        var receipt = await fixture.IngestAsync(provider, "school-attendance", Attendance(64, "Auditwell"), "audit.csv");
        var asOf = t0.AddDays(4);
        var table = new StringWriter();
        Assert.Equal(ExitCodes.Success, await RetentionCommand.ApplyAsync(Job, dryRun: false, asOf, json: false, table, default));
        Assert.Contains("Deleted:", table.ToString(), StringComparison.Ordinal);
        Assert.Contains(receipt.DropId[..12], table.ToString(), StringComparison.Ordinal);

        var audit = fixture.Pipeline.Get<AuditLog>();
        var output = new StringWriter();
        var since = t0.UtcDateTime.ToString("yyyy-MM-dd");
        Assert.Equal(ExitCodes.Success, await AuditCommand.ShowAsync(audit, since, asOf.UtcDateTime.ToString("yyyy-MM-dd"),
            $"drop-{receipt.DropId}", json: true, output, TextWriter.Null, default));
        using var json = JsonDocument.Parse(output.ToString());
        var rows = json.RootElement.EnumerateArray().Select(r =>
            (Who: r.GetProperty("who").GetString(), Step: r.GetProperty("step").GetString(),
            Agreement: r.GetProperty("agreement").GetString(), Rows: r.GetProperty("rows").GetInt64())).ToList();
        Assert.Equal(["1-gate", "2-validate", "3-minimise", "4-link", "5-curate"], rows.Where(r => r.Who == provider).Select(r => r.Step));
        var deletion = Assert.Single(rows, r => r.Who == RetentionJob.Actor);
        Assert.Equal(($"ISA-{provider}", receipt.Rows.Read), (deletion.Agreement, deletion.Rows));
        Assert.All(rows, r => Assert.Equal($"ISA-{provider}", r.Agreement));

        // The table form, and a range that ends before the run leaves the deletion out.
        var printed = new StringWriter();
        await AuditCommand.ShowAsync(audit, since, null, null, json: false, printed, TextWriter.Null, default);
        Assert.Contains(RetentionJob.Actor, printed.ToString(), StringComparison.Ordinal);
        Assert.Contains("5-curate", printed.ToString(), StringComparison.Ordinal);
        var before = await audit.QueryAsync(t0.AddMinutes(-5), asOf.AddDays(-1), $"drop-{receipt.DropId}", default);
        Assert.DoesNotContain(before, r => r.Actor == RetentionJob.Actor);
        Assert.NotEmpty(before);
    }
}
