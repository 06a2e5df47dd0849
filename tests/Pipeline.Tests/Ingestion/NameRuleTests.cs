using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Cli;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Ingestion;

/// <summary>
/// One rule for provider, YOT and drop-type ids and upload file names, enforced where a name comes in: the command line
/// (exit 2), the upload path (refused before anything is written), agreement files. A name that breaks it never reaches
/// a folder or a table key.
/// </summary>
public sealed class NameRuleTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static readonly string LongProvider = new('a', 1100);

    public static TheoryData<string> BadPaths => new()
    {
        "school-x/../demo-yot/yot-children/children.csv",      // climbs into the YOT's own folder
        "school#x/school-attendance/a.csv",                    // '#' cuts a URL short and is no table key
        $"{LongProvider}/school-attendance/a.csv",             // over 1 KB: no table key
        "School-X/school-attendance/a.csv",                    // ids are lowercase
        "school-x/school attendance/a.csv",
        "school-x/school-attendance/sub/a.csv",                // a file name has no folders
        "school-x/school-attendance/..",
        "school-x/school-attendance/a?b.csv",
        "school-x/school-attendance/a\nb.csv",
        "school-x/school-attendance/",
        "school-x\n/school-attendance/a.csv",
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public void An_upload_path_outside_the_rule_is_refused(string path) =>
        Assert.Throws<InvalidDropPathException>(() => DropIngestor.ParsePath(path));

    [Theory]
    [InlineData("school-x/school-attendance/attendance.csv")]
    [InlineData("school-x/school-attendance/St Mary's attendance (May 2026), v2.csv")]
    [InlineData("a/b/c")]
    public void An_upload_path_inside_the_rule_is_read(string path)
    {
        var (provider, dropType) = DropIngestor.ParsePath(path);
        Assert.Equal((path.Split('/')[0], path.Split('/')[1]), (provider, dropType));
    }

    [Theory]
    [InlineData("school#x")]
    [InlineData("school-x/../demo-yot")]
    [InlineData("school-x%2f..")]
    public async Task A_bad_upload_path_leaves_no_receipt_ledger_row_or_audit_row(string provider)
    {
        var blobName = $"{provider}/school-attendance/a.csv";
        await fixture.Storage.Container(StorageNames.DropsContainer).GetBlobClient(blobName)
            .UploadAsync(BinaryData.FromString(Csv(AttendanceHeader)), overwrite: true);
        var before = await DropStateAsync();

        var ex = await Assert.ThrowsAsync<InvalidDropPathException>(() =>
            fixture.Pipeline.Get<DropIngestor>().IngestAsync(blobName, default));

        Assert.Matches(@"not a valid id|is not \{provider\}/\{dropType\}/\{file\}", ex.Message);
        Assert.Equal(before, await DropStateAsync());
    }

    /// <summary>Every blob, queue and row of the drop ledger and audit trail: what a drop could leave behind (not, say, the key's check
    /// value).</summary>
    private async Task<IReadOnlyList<string>> DropStateAsync() =>
        (await fixture.SnapshotAsync()).Where(l => !l.StartsWith("row ", StringComparison.Ordinal)
            || l.StartsWith($"row {StorageNames.DropsTable}/", StringComparison.Ordinal)
                || l.StartsWith($"row {StorageNames.AuditTable}/", StringComparison.Ordinal)).ToList();

    [Theory]
    [InlineData("school#x")]
    [InlineData("school-x/../demo-yot")]
    public async Task The_runner_checks_the_path_before_it_uploads_anything(string provider)
    {
        var file = Path.Combine(Path.GetTempPath(), $"names-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, Csv(ChildrenHeader));
        try
        {
            await Assert.ThrowsAsync<InvalidDropPathException>(() =>
                IngestCommand.UploadAndIngestAsync(fixture.Pipeline, file, provider, "yot-children", default));
            Assert.Empty(await fixture.BlobNamesAsync(StorageNames.DropsContainer, provider.Split('/')[0]));
            Assert.Empty(await fixture.BlobNamesAsync(StorageNames.DropsContainer, "demo-yot/yot-children/"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static TheoryData<string[]> BadCommands => new()
    {
        new[] { "ingest", "drop.csv", "--provider", "school-x/../demo-yot", "--type", "yot-children" },
        new[] { "ingest", "drop.csv", "--provider", "school#x", "--type", "school-attendance" },
        new[] { "ingest", "drop.csv", "--provider", LongProvider, "--type", "school-attendance" },
        new[] { "ingest", "drop.csv", "--provider", "school-x", "--type", "../yot-children" },
        new[] { "ingest", "my#drop.csv", "--provider", "school-x", "--type", "school-attendance" },
        new[] { "kpis", "--yot", "<script>", "--period", "2026-Q2" },
        new[] { "report", "--yot", "demo|yot", "--period", "2026-Q2", "--out", "x.html" },
        new[] { "quality", "--provider", "a\\b" },
        new[] { "submit", "--period", "2026-Q2", "--yot", "demo yot" },
        new[] { "token", "--role", "analyst", "--yot", "demo-yot?x" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public void A_name_outside_the_rule_is_a_usage_error_before_storage_starts(string[] args)
    {
        var errors = Program.BuildCommands(TextWriter.Null).Parse(args).Errors;
        var error = Assert.Single(errors);
        Assert.True(error.Message.Contains("is not a valid id: use", StringComparison.Ordinal)
            || error.Message.Contains("rename the file to", StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain(LongProvider, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo-yot\n")]   // .NET's '$' would let a final newline through
    [InlineData("Demo-YOT")]
    [InlineData("demo#yot")]
    public void Agreement_files_with_an_id_outside_the_rule_are_refused(string yot)
    {
        var json = AgreementDocument.Serialize(Agreement("school-names", yot, ["school-attendance"]));
        var ex = Assert.Throws<InvalidAgreementException>(() => AgreementDocument.Parse(json, "bad.json"));
        Assert.Contains(ex.Problems, p => p.StartsWith("yot:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_agreement_built_in_code_is_held_to_the_same_rule() =>
        await Assert.ThrowsAsync<InvalidAgreementException>(() =>
            fixture.AddAgreementAsync(Agreement("school#names", "demo-yot", ["school-attendance"])));
}
