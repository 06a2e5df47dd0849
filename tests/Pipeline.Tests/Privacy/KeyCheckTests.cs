using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Privacy;

/// <summary>
/// The pseudonymisation key is checked, not trusted: a different key under a version label already used stops the
/// pipeline before it writes anything (before, it linked no rows and doubled every KPI denominator on a re-send), and
/// a rotation to a new version starts a new pseudonym space that KPIs never mix with the old one.
/// </summary>
public sealed class KeyCheckTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const int Children = 6;

    [Fact]
    public async Task A_different_key_under_a_used_version_stops_ingest_and_recompute_before_anything_is_written()
    {
        await fixture.AddAgreementAsync(Agreement("yot-keycheck-case", "yot-keycheck", ["yot-children"], kind: "yot"));
        await fixture.IngestAsync("yot-keycheck-case", "yot-children", ChildrenCsv("K"));
        await using var wrong = Services(Pseudonymiser.NewKey(), "test-v1");
        var before = await fixture.SnapshotAsync();

        var blob = "yot-keycheck-case/yot-children/fresh.csv";
        var content = ChildrenCsv("K", reversed: true);
        await fixture.Storage.Container(StorageNames.DropsContainer).GetBlobClient(blob).UploadAsync(BinaryData.FromString(content));
        fixture.Identifiers.Remember("yot-children", Encoding.UTF8.GetBytes(content));
        var afterUpload = await fixture.SnapshotAsync();

        var ingest = await Assert.ThrowsAsync<PseudonymisationKeyMismatchException>(() => wrong.GetRequiredService<DropIngestor>()
            .IngestAsync(blob, default));
        Assert.Contains("'test-v1'", ingest.Message);
        Assert.DoesNotContain(PipelineFixture.TestKey, ingest.Message);
        await Assert.ThrowsAsync<PseudonymisationKeyMismatchException>(() =>
            wrong.GetRequiredService<KpiRecomputer>().RecomputeAsync(new KpiRecomputeRequest("yot-keycheck", "2026-Q2"), default));

        // No ledger row, receipt, curated file, audit row or queue message: only the upload itself is there.
        Assert.Equal(before.Count + 1, afterUpload.Count);
        Assert.Equal(afterUpload, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task The_first_use_of_a_version_stores_its_check_value_and_the_same_key_passes_again()
    {
        var key = Pseudonymiser.NewKey();
        await using (var first = Services(key, "first-use-v1"))
            await first.GetRequiredService<Pseudonymiser>().VerifyAsync(default);

        var row = (await fixture.Storage.Table(StorageNames.PseudonymisationKeysTable).GetEntityAsync<TableEntity>("check", "first-use-v1"))
            .Value;
        var stored = row.GetString("CheckValue");
        Assert.Matches("^[0-9a-f]{64}$", stored);
        Assert.DoesNotContain(Convert.ToHexStringLower(Convert.FromBase64String(key)), stored);
        Assert.DoesNotContain(key, string.Join(",", row.Select(kv => kv.Value)));

        await using var again = Services(key, "first-use-v1");
        await again.GetRequiredService<Pseudonymiser>().VerifyAsync(default);
        await using var other = Services(Pseudonymiser.NewKey(), "first-use-v1");
        await Assert.ThrowsAsync<PseudonymisationKeyMismatchException>(() =>
            other.GetRequiredService<Pseudonymiser>().VerifyAsync(default));
    }

    [Fact]
    public async Task Two_first_uses_at_once_with_different_keys_let_exactly_one_key_own_the_version()
    {
        var providers = Enumerable.Range(0, 4).Select(_ => Services(Pseudonymiser.NewKey(), "race-v1")).ToList();
        var outcomes = await Task.WhenAll(providers.Select(async p =>
        {
            try
            {
                await p.GetRequiredService<Pseudonymiser>().VerifyAsync(default);
                return true;
            }
            catch (PseudonymisationKeyMismatchException)
            {
                return false;
            }
        }));
        foreach (var p in providers) await p.DisposeAsync();
        Assert.Equal(1, outcomes.Count(ok => ok));
    }

    [Fact]
    public async Task Rotating_to_a_new_version_starts_a_new_pseudonym_space_and_kpis_never_count_a_child_twice()
    {
        const string yot = "yot-rotation";
        await fixture.AddAgreementAsync(Agreement("yot-rotation-case", yot, ["yot-children"], kind: "yot"));
        await fixture.IngestAsync("yot-rotation-case", "yot-children", ChildrenCsv("R"));
        var underV1 = await YotData.LoadAsync(fixture.Storage, yot, default);
        Assert.Equal(Children, underV1.Children.Count);

        // The rotation: a new key under a new version label. Its first use records the new check value.
        var newKey = Pseudonymiser.NewKey();
        await using (var v2 = Services(newKey, "test-v2"))
        {
            // Blob times have one-second resolution: the re-send must arrive visibly later than the first drop, as it
            // would in life, or "the latest drop" would be decided by drop id.
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            var blob = "yot-rotation-case/yot-children/after-rotation.csv";
            var resent = ChildrenCsv("R", reversed: true);
            fixture.Identifiers.Remember("yot-children", Encoding.UTF8.GetBytes(resent));
            await fixture.Storage.Container(StorageNames.DropsContainer).GetBlobClient(blob).UploadAsync(BinaryData.FromString(resent));
            var receipt = await v2.GetRequiredService<DropIngestor>().IngestAsync(blob, default);
            Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        }

        // Same children, new pseudonyms: the old version's rows no longer count, so no child is counted twice.
        var underV2 = await YotData.LoadAsync(fixture.Storage, yot, default);
        Assert.Equal(Children, underV2.Children.Count);
        Assert.Empty(underV2.Children.Keys.Intersect(underV1.Children.Keys));

        // Each version keeps its own key: the old one still passes under its label, and neither passes under the other's.
        await using (var backToV1 = Services(PipelineFixture.TestKey, "test-v1"))
            await backToV1.GetRequiredService<Pseudonymiser>().VerifyAsync(default);
        await using var v1KeyAsV2 = Services(PipelineFixture.TestKey, "test-v2");
        await Assert.ThrowsAsync<PseudonymisationKeyMismatchException>(() =>
            v1KeyAsV2.GetRequiredService<Pseudonymiser>().VerifyAsync(default));
    }

    private static string ChildrenCsv(string prefix, bool reversed = false)
    {
        var rows = Enumerable.Range(0, Children).Select(i => $"{prefix}-{i},{Upn(300 + i)},,Keyes,Kim,2011-05-0{i + 1},1,WBRI,,Y");
        return Csv([ChildrenHeader, .. reversed ? rows.Reverse() : rows]);
    }

    /// <summary>The pipeline's services over the fixture's storage with another key (or version) configured.</summary>
    private ServiceProvider Services(string key, string version)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataStorage:ConnectionString"] = fixture.Pipeline.Get<IOptions<StorageOptions>>().Value.ConnectionString,
            ["Pseudonymisation:Key"] = key,
            ["Pseudonymisation:KeyVersion"] = version,
        }).Build();
        return new ServiceCollection().AddLogging().AddPipeline(configuration).BuildServiceProvider();
    }
}
