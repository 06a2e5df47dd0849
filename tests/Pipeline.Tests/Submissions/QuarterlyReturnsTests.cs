using System.Security.Cryptography;
using System.Text.Json.Nodes;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Kpis.Population;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Submissions;

/// <summary>
/// The quarterly YJB returns (issue 5 item 1) over a small YOT sent through the real pipeline: what v1 holds, that the
/// files match their manifest and the schema's rules, that small numbers leave as "c", that a second run writes nothing,
/// and that a late drop writes v2 and says what changed and why. Each test has its own YOT.
/// </summary>
public sealed class QuarterlyReturnsTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static readonly DateTimeOffset FirstRun = new(2026, 7, 1, 6, 0, 0, TimeSpan.Zero);
    private QuarterlyReturns Returns => fixture.Pipeline.Get<QuarterlyReturns>();
    private SubmissionLedger Ledger => fixture.Pipeline.Get<SubmissionLedger>();

    // The read-only tests share one YOT's v1 (sending the case files is most of a test's time).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PipelineFixture, Task<SubmissionOutcome>> Shared = [];

    private Task<SubmissionOutcome> SharedV1Async() => Shared.GetValue(fixture, f => Task.Run(async () =>
    {
        await ReturnScenario.SendAsync(f, "yot-qr-shared", "QRX");
        return await f.Pipeline.Get<QuarterlyReturns>().BuildAsync("yot-qr-shared", ReturnScenario.Quarter, FirstRun, "test", default);
    }));

    private async Task<SubmissionOutcome> BuildAsync(string yot, DateTimeOffset at) =>
        await Returns.BuildAsync(yot, ReturnScenario.Quarter, at, "test", default);

    private async Task<IReadOnlyList<string>> SubmissionBlobsAsync(string yot) =>
        (await fixture.SnapshotAsync())
            .Where(l => l.StartsWith($"blob {StorageNames.SubmissionsContainer}/yjb/2026-Q2/{yot}/", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task The_first_build_writes_v1_as_json_csv_and_a_manifest_whose_checksums_match_the_files()
    {
        const string yot = "yot-qr-first";
        await ReturnScenario.SendAsync(fixture, yot, "QRF");

        var outcome = await BuildAsync(yot, FirstRun);

        Assert.Equal((1, SubmissionStates.Built), (outcome.Version, outcome.State));
        string[] expected = [$"yjb/2026-Q2/{yot}/manifest-v1.json", $"yjb/2026-Q2/{yot}/return-v1.csv",
            $"yjb/2026-Q2/{yot}/return-v1.json"];
        Assert.Equal(expected, (await fixture.BlobNamesAsync(StorageNames.SubmissionsContainer, $"yjb/2026-Q2/{yot}/"))
            .Order(StringComparer.Ordinal));

        var manifest =
            JsonNode.Parse(await fixture.DownloadAsync(StorageNames.SubmissionsContainer, $"yjb/2026-Q2/{yot}/manifest-v1.json"))!;
        var files = manifest["files"]!.AsArray();
        Assert.Equal(2, files.Count);
        foreach (var f in files)
        {
            var bytes = await fixture.DownloadAsync(StorageNames.SubmissionsContainer, f!["blob"]!.GetValue<string>());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), f["sha256"]!.GetValue<string>());
            Assert.Equal(bytes.Length, f["bytes"]!.GetValue<long>());
        }
        Assert.Equal(outcome.ContentHash, manifest["contentHash"]!.GetValue<string>());

        var entry = Assert.Single(await Ledger.ListAsync(yot, "2026-Q2"));
        Assert.Equal((1, SubmissionStates.Built, SubmissionStates.Built), (entry.Version, entry.State, entry.LastRun));
        Assert.Equal(outcome.Blobs, entry.Blobs);
        Assert.Contains(await fixture.Pipeline.Get<AuditLog>().ForSubjectAsync($"submission|{yot}|2026-Q2", default),
            a => a.Step == "v0001|built" && a.Action == SubmissionStates.Built && a.Rows > 0);
    }

    [Fact]
    public async Task The_return_holds_the_ten_kpis_as_the_template_lays_them_out_and_keeps_the_schemas_rules()
    {
        var outcome = await SharedV1Async();

        var bytes = await fixture.DownloadAsync(StorageNames.SubmissionsContainer, outcome.Blobs[0]);
        var ret = KpiReturnDocument.Parse(bytes);
        Assert.Empty(KpiReturnDocument.Check(ret));
        Assert.Equal(["Total", .. OrderTypes.Groups], ret.Columns);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"kpi{n}"), ret.Rows.Select(r => r.Kpi.Split('-')[0]).Distinct());
        Assert.Equal(("2026-Q2", "2026/27 Q1", FirstRun), (ret.Period, ret.PeriodLabel, ret.BuiltAt));

        // Start/end splits as the template has them.
        Assert.Equal("end", Assert.Single(ret.Rows, r => r.Id == "kpi1-accommodation").Split);
        Assert.Equal("start", Assert.Single(ret.Rows, r => r.Id == "kpi1-accommodation-start").Split);
        Assert.Equal("start", Assert.Single(ret.Rows, r => r.Id == "kpi2-ete-start").Split);
        Assert.Equal("end", Assert.Single(ret.Rows, r => r.Id == "kpi7-wider-services-end").Split);
        // A measure broken down by its own groups gets a row per group (KPI 1 by accommodation type).
        Assert.Contains(ret.Rows, r => r.Id == "kpi1-accommodation-by-type/accommodation-type=LIVING_WITH_PARENTS");

        // Every field the published schema requires is written, at each level.
        var schema =
            JsonNode.Parse(File.ReadAllText(Path.Combine(Pipeline.Local.RepositoryPaths.Root, "schemas", "kpi-return.schema.json")))!;
        var json = JsonNode.Parse(bytes)!.AsObject();
        var rowSchema = schema["properties"]!["rows"]!["items"]!;
        var cellSchema = rowSchema["properties"]!["cells"]!["items"]!;
        Assert.All(Required(schema), p => Assert.True(json.ContainsKey(p), p));
        foreach (var row in json["rows"]!.AsArray())
        {
            Assert.All(Required(rowSchema), p => Assert.True(row!.AsObject().ContainsKey(p), p));
            foreach (var cell in row!["cells"]!.AsArray()) Assert.All(Required(cellSchema), p =>
                Assert.True(cell!.AsObject().ContainsKey(p), p));
        }
    }

    private static IEnumerable<string> Required(JsonNode schema) => schema["required"]!.AsArray().Select(n => n!.GetValue<string>());

    [Fact]
    public async Task Small_numbers_leave_as_c_while_missing_is_x_and_zero_is_0()
    {
        var outcome = await SharedV1Async();
        var csv = ReturnScenario.ReadCsv(await fixture.DownloadAsync(StorageNames.SubmissionsContainer, outcome.Blobs[1]));

        // KPI 1 at end: 10 of 18 published; referral order 4 of 4 and custody 0 of 1 withheld; YRO 6 of 13 published.
        Assert.Equal(("10", "18"), (csv[("kpi1-accommodation", "numerator", "Total")],
            csv[("kpi1-accommodation", "denominator", "Total")]));
        Assert.Equal(("6", "13"), (csv[("kpi1-accommodation", "numerator", OrderTypes.Yro)],
            csv[("kpi1-accommodation", "denominator", OrderTypes.Yro)]));
        foreach (var column in new[] { OrderTypes.ReferralOrder, OrderTypes.Custody })
            foreach (var figure in KpiReturnDocument.Figures)
                Assert.Equal("c", csv[("kpi1-accommodation", figure, column)]);
        // No child on a youth caution: a true zero, not withheld, and its value is not available.
        Assert.Equal(("0", "0", "x"), (csv[("kpi1-accommodation", "numerator", OrderTypes.YouthCaution)],
            csv[("kpi1-accommodation", "denominator", OrderTypes.YouthCaution)],
                csv[("kpi1-accommodation", "value", OrderTypes.YouthCaution)]));
        // KPI 8 counts board sectors, not children: no order-type columns (z).
        Assert.Equal("z", csv[("kpi8-board-attendance", "numerator", OrderTypes.Yro)]);
        // A zero numerator over a published denominator is 0, with a value of 0: KPI 4's need, none recorded.
        Assert.Equal(("0", "18", "0"), (csv[("kpi4-mental-health", "numerator", "Total")],
            csv[("kpi4-mental-health", "denominator", "Total")],
            csv[("kpi4-mental-health", "value", "Total")]));

        // The JSON carries no figures in a withheld cell.
        var ret = KpiReturnDocument.Parse(await fixture.DownloadAsync(StorageNames.SubmissionsContainer, outcome.Blobs[0]));
        var withheld = ret.Rows.SelectMany(r => r.Cells).Where(c => c.State == CellStates.Withheld).ToList();
        Assert.NotEmpty(withheld);
        Assert.All(withheld, c => Assert.Equal((null, null, null), (c.Numerator, c.Denominator, c.Value)));
    }

    [Fact]
    public async Task Running_again_with_unchanged_inputs_writes_nothing_new_and_the_ledger_says_unchanged()
    {
        const string yot = "yot-qr-again";
        await ReturnScenario.SendAsync(fixture, yot, "QRA");
        var first = await BuildAsync(yot, FirstRun);
        var blobs = await SubmissionBlobsAsync(yot);

        // A day later, and with the same case files sent again (duplicates): the same meaning.
        await fixture.IngestAsync(ReturnScenario.Provider(yot), "yot-accommodation", ReturnScenario.Accommodation("QRA"), "again.csv");
        await fixture.DrainQueueAsync();
        var again = await BuildAsync(yot, FirstRun.AddDays(1));

        Assert.Equal((1, SubmissionStates.Unchanged, first.ContentHash), (again.Version, again.State, again.ContentHash));
        Assert.Equal(blobs, await SubmissionBlobsAsync(yot));
        var entry = Assert.Single(await Ledger.ListAsync(yot, "2026-Q2"));
        Assert.Equal((SubmissionStates.Built, SubmissionStates.Unchanged, FirstRun.AddDays(1)),
            (entry.State, entry.LastRun, entry.CheckedAt));
        Assert.Equal(FirstRun, entry.BuiltAt);
    }

    [Fact]
    public async Task A_late_drop_that_changes_a_figure_writes_v2_supersedes_v1_and_says_what_changed_and_why()
    {
        const string yot = "yot-qr-late";
        await ReturnScenario.SendAsync(fixture, yot, "QRT");
        await BuildAsync(yot, FirstRun);

        var late = await ReturnScenario.SendLateDropAsync(fixture, yot, "QRT");
        var v2 = await BuildAsync(yot, FirstRun.AddDays(20));

        Assert.Equal((2, SubmissionStates.Built, 1), (v2.Version, v2.State, v2.Supersedes));
        Assert.Contains("kpi1-accommodation/Total", v2.Changed);
        Assert.Contains($"kpi1-accommodation/{OrderTypes.Yro}", v2.Changed);
        // judged at the start: unchanged
        Assert.DoesNotContain(v2.Changed, c => c.StartsWith("kpi1-accommodation-start/", StringComparison.Ordinal));
        Assert.Equal([late.DropId], v2.NewDrops);

        var versions = await Ledger.ListAsync(yot, "2026-Q2");
        Assert.Equal([(1, SubmissionStates.Superseded), (2, SubmissionStates.Built)], versions.Select(v => (v.Version, v.State)));
        Assert.Equal(2, versions[0].SupersededBy);
        Assert.Equal(v2.Changed, versions[1].Changed);
        Assert.Equal([late.DropId], versions[1].NewDrops);

        // Both versions' files stay; v2 holds the new figure.
        Assert.Equal(6, (await fixture.BlobNamesAsync(StorageNames.SubmissionsContainer, $"yjb/2026-Q2/{yot}/")).Count);
        var csv = ReturnScenario.ReadCsv(await fixture.DownloadAsync(StorageNames.SubmissionsContainer, v2.Blobs[1]));
        Assert.Equal("11", csv[("kpi1-accommodation", "numerator", "Total")]);

        var audit = await fixture.Pipeline.Get<AuditLog>().ForSubjectAsync($"submission|{yot}|2026-Q2", default);
        Assert.Contains(audit, a => a.Step == "v0001|superseded");
        Assert.Contains(audit, a => a.Step == "v0002|built");

        // And once more: nothing new.
        var again = await BuildAsync(yot, FirstRun.AddDays(21));
        Assert.Equal((2, SubmissionStates.Unchanged), (again.Version, again.State));
        Assert.Equal(6, (await fixture.BlobNamesAsync(StorageNames.SubmissionsContainer, $"yjb/2026-Q2/{yot}/")).Count);
    }

    [Fact]
    public async Task Pipeline_submit_prints_version_state_and_blob_paths()
    {
        // A YOT with an agreement and no data yet: its return is still built (figures zero or missing).
        const string yot = "yot-qr-cli";
        await fixture.AddAgreementAsync(TestData.Agreement("school-qr-cli", yot, ["school-attendance"]));
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await SubmitCommand.SubmitAsync(Returns, ReturnScenario.Quarter, yot, json: false, FirstRun, output,
            default));
        var text = output.ToString();
        Assert.Contains($"{yot}: v1 built", text);
        Assert.Contains($"submissions/yjb/2026-Q2/{yot}/return-v1.json", text);
        Assert.Contains($"submissions/yjb/2026-Q2/{yot}/return-v1.csv", text);
        Assert.Contains($"submissions/yjb/2026-Q2/{yot}/manifest-v1.json", text);

        var json = new StringWriter();
        Assert.Equal(ExitCodes.Success, await SubmitCommand.SubmitAsync(Returns, ReturnScenario.Quarter, yot, json: true,
            FirstRun.AddDays(3), json, default));
        var result = Assert.Single(JsonNode.Parse(json.ToString())!["returns"]!.AsArray())!;
        Assert.Equal((yot, 1, "unchanged"), (result["yot"]!.GetValue<string>(), result["version"]!.GetValue<int>(),
            result["state"]!.GetValue<string>()));
        Assert.Equal(3, result["blobs"]!.AsArray().Count);
    }
}
