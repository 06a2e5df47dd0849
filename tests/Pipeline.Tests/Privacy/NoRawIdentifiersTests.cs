using System.Text;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Privacy;

/// <summary>No name, UPN, date of birth, postcode or YOT case reference gets past the gate: not into storage, not into logs.</summary>
public sealed class NoRawIdentifiersTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => HandCheckedScenario.LoadAsync(fixture);
    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(StorageNames.CuratedContainer)]
    [InlineData(StorageNames.KpisContainer)]
    [InlineData(StorageNames.ReceiptsContainer)]
    public async Task No_blob_holds_a_raw_identifier(string container)
    {
        var names = await fixture.BlobNamesAsync(container);
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var content = await fixture.DownloadAsync(container, name);
            foreach (var identifier in HandCheckedScenario.RawIdentifiers)
                Assert.False(Contains(content, identifier), $"{container}/{name} contains '{identifier}'");
        }
    }

    /// <summary>
    /// The suite-wide scan's one exception: a YOT child's date of birth may be in curated yot-children (the scenario
    /// put A1's there), and is found anywhere else — as text, or as a date column of another Parquet file.
    /// </summary>
    [Fact]
    public async Task The_scan_allows_a_date_of_birth_in_curated_yot_children_only()
    {
        var scan = new RawIdentifierScan();
        scan.Remember("yot-children", Encoding.UTF8.GetBytes(TestData.Csv(TestData.ChildrenHeader, "HC-0001,,,,,15/03/2012,1,WBRI,,Y")));
        Assert.Contains("2012-03-15", scan.DatesOfBirth);
        Assert.Empty(await scan.FindAsync(fixture.Storage, []));

        var report = fixture.Storage.Container(StorageNames.ReportsContainer).GetBlobClient("planted/leak.txt");
        var curated = fixture.Storage.Container(StorageNames.CuratedContainer)
            .GetBlobClient("school-roll/yot=planted/period=2026-Q2/leak.parquet");
        try
        {
            await report.UploadAsync(BinaryData.FromString("born 15/03/2012"), overwrite: true);
            using var parquet = new MemoryStream();
            await Parquet.Serialization.ParquetSerializer.SerializeAsync(new[] { new PlantedRow { when = new DateOnly(2012, 3, 15) } },
                parquet);
            parquet.Position = 0;
            await curated.UploadAsync(parquet, overwrite: true);

            var found = await scan.FindAsync(fixture.Storage, ["a log line saying 2012-03-15"]);
            Assert.Contains(found, f => f.StartsWith("reports/planted/leak.txt:", StringComparison.Ordinal));
            Assert.Contains(found, f => f.StartsWith("curated/school-roll/yot=planted/", StringComparison.Ordinal));
            Assert.Contains(found, f => f.StartsWith("logs:", StringComparison.Ordinal));
            Assert.DoesNotContain(found, f => f.StartsWith("curated/yot-children/", StringComparison.Ordinal));
        }
        finally
        {
            await report.DeleteIfExistsAsync();
            await curated.DeleteIfExistsAsync();
        }
    }

    private sealed class PlantedRow
    {
        public DateOnly when { get; set; }
    }

    [Fact]
    public async Task No_table_row_holds_a_raw_identifier()
    {
        foreach (var line in await fixture.SnapshotAsync())
            foreach (var identifier in HandCheckedScenario.RawIdentifiers)
                Assert.DoesNotContain(identifier, line);
    }

    [Fact]
    public void Logs_hold_no_raw_identifier_and_no_key()
    {
        Assert.NotEmpty(fixture.Logs);
        foreach (var line in fixture.Logs)
        {
            foreach (var identifier in HandCheckedScenario.RawIdentifiers) Assert.DoesNotContain(identifier, line);
            Assert.DoesNotContain(PipelineFixture.TestKey, line);
        }
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
