using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary>
/// What a newcomer notices about <c>pipeline demo</c>: it sends every drop type, nothing is refused whole, school
/// receipts link a realistic share of pupils, the college links by ULN and by name and date of birth, and a second
/// run is answered 'duplicate' drop by drop. Runs the demo's drops through the test pipeline (not the CLI) for speed.
/// </summary>
public sealed class DemoTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_demo_sends_every_drop_type_realistically_and_a_second_run_is_all_duplicates()
    {
        foreach (var a in DemoData.Agreements()) await fixture.AddAgreementAsync(a);
        var drops = DemoData.Write(_folder);

        Assert.Equal(SchemaCatalogue.Default.DropTypes.Order(), drops.Select(d => d.DropType).Distinct().Order());
        Assert.Equal("yot-children", drops[0].DropType);

        var receipts = new List<Receipt>();
        foreach (var d in drops) receipts.Add(await IngestCommand.UploadAndIngestAsync(fixture.Pipeline, d.Path, d.Provider, d.DropType,
            default));

        Assert.All(receipts, r => Assert.NotEqual(ReceiptStatus.Rejected, r.Status));
        Assert.All(receipts.Where(r => r.DropType.StartsWith("school-", StringComparison.Ordinal)), r =>
        {
            Assert.InRange(ReceiptPrinter.LinkShare(r), 0.02, 0.30);
            Assert.Contains("upn", r.LinkedBy.Keys);
        });
        var college = receipts.Where(r => r.DropType == "college-enrolment").ToList();
        Assert.NotEmpty(college);
        Assert.All(college, r =>
        {
            Assert.Contains("uln", r.LinkedBy.Keys);
            Assert.Contains("name-and-date-of-birth", r.LinkedBy.Keys);
        });
        // Minimisation and header aliases show in the receipts.
        Assert.Contains(receipts, r => r.Provider == "school-northbridge-academy" && r.FieldsNotShared.Contains("legal_forename")
            && r.FieldsNotShared.Contains("legal_surname"));
        Assert.Contains(receipts, r => r.Provider == "school-st-aidans-catholic-high" && r.DropType == "school-attendance"
            && r.Rows.Accepted > 0 && r.FieldsNotShared.SequenceEqual(["column 9"]));

        var again = new List<Receipt>();
        foreach (var d in DemoData.Write(_folder)) again.Add(
            await IngestCommand.UploadAndIngestAsync(fixture.Pipeline, d.Path, d.Provider, d.DropType, default));
        Assert.All(again, r => Assert.Equal(ReceiptStatus.Duplicate, r.Status));
    }
}
