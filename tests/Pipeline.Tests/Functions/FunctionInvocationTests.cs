using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Functions;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Retention;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;
using YouthJustice.Pipeline.Tests.Api;
using YouthJustice.Pipeline.Tests.Infrastructure;
using YouthJustice.Pipeline.Tests.Submissions;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Functions;

/// <summary>
/// Each function invoked as the worker would invoke it, against the fixture's Azurite, on the settings of
/// functions/local.settings.example.json (storage pointed at that Azurite, the placeholders filled): it has the same
/// effect as the local runner's path for the same input. Each test uses its own YOT, so their data do not meet.
/// </summary>
public sealed class FunctionInvocationTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    // Azurite's well-known development account key (published with the emulator; not a secret).
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string Period = "2026-Q2";
    private readonly string _signingKey = DevelopmentTokens.NewKey();

    private string AzuriteConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={fixture.Storage.Blobs.AccountName};AccountKey={AzuriteKey};" +
        $"BlobEndpoint={fixture.Storage.Blobs.Uri};QueueEndpoint={fixture.Storage.Queues.Uri};TableEndpoint={fixture.Storage.Tables.Uri};";

    private FunctionsAppHost App(TimeProvider? clock = null)
    {
        var settings = FunctionsAppHost.LocalSettingsExample(new Dictionary<string, string>
        {
            ["UseDevelopmentStorage=true"] = AzuriteConnectionString,
            ["<pseudonymisation key>"] = PipelineFixture.TestKey,
            ["<api signing key>"] = _signingKey,
        });
        // The fixture's key version, so the app and the local runner are one pipeline over one storage.
        settings["Pseudonymisation__KeyVersion"] = "test-v1";
        settings["Ingestion__StagingDirectory"] = fixture.StagingDirectory;
        return FunctionsAppHost.Build(settings, clock, fixture.Logs);
    }

    /// <summary>Uploads a drop as a provider would and runs IngestDrop on the BlobClient the blob extension binds for it.</summary>
    private async Task IngestThroughFunctionAsync(FunctionsAppHost app, string provider, string dropType, string csv, string name)
    {
        var content = Bytes(csv);
        fixture.Identifiers.Remember(dropType, content);
        var blobName = $"{provider}/{dropType}/{name}";
        await fixture.Storage.Container(StorageNames.DropsContainer).GetBlobClient(blobName)
            .UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        var drop = await app.BindBlobTriggerAsync(Triggers.DataStorageConnection, StorageNames.DropsContainer, blobName);
        await app.Activate<IngestDrop>().RunAsync(drop, default);
    }

    private async Task<JsonObject> ReceiptAsync(string provider)
    {
        var name = Assert.Single(await fixture.BlobNamesAsync(StorageNames.ReceiptsContainer, provider + "/"), n =>
            n.EndsWith(".json", StringComparison.Ordinal));
        return JsonNode.Parse(await fixture.DownloadAsync(StorageNames.ReceiptsContainer, name))!.AsObject();
    }

    [Fact]
    public async Task IngestDrop_on_a_bound_BlobClient_writes_the_receipt_and_the_local_runner_then_knows_the_drop()
    {
        const string yot = "yot-fn-ingest";
        var provider = ReturnScenario.Provider(yot);
        await fixture.AddAgreementAsync(Agreement(provider, yot, ["yot-children"], kind: "yot"));
        using var app = App();

        var children = ReturnScenario.Children("FNI");
        await IngestThroughFunctionAsync(app, provider, "yot-children", children, "children.csv");

        var receipt = await ReceiptAsync(provider);
        Assert.Equal((ReceiptStatus.Accepted, "yot-children", 12L, 12L),
            ((string?)receipt["status"], (string?)receipt["dropType"], (long?)receipt["rowsRead"], (long?)receipt["rowsAccepted"]));
        Assert.Contains(await fixture.BlobNamesAsync(StorageNames.CuratedContainer, $"yot-children/yot={yot}/"), n =>
            n.EndsWith($"{receipt["dropId"]}.parquet", StringComparison.Ordinal));

        // The local runner's path with the same file finds the drop the function ingested: same id, nothing redone.
        var before = await fixture.SnapshotAsync();
        var again = await fixture.IngestAsync(provider, "yot-children", children, "children-again.csv");
        Assert.Equal((ReceiptStatus.Duplicate, (string?)receipt["dropId"]), (again.Status, again.DropId));
        Assert.Equal(before.Where(l => !l.Contains("children-again.csv", StringComparison.Ordinal)),
            (await fixture.SnapshotAsync()).Where(l => !l.Contains("children-again.csv", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ComputeKpis_on_the_queued_message_stores_the_results_the_local_queue_worker_computes()
    {
        const string yot = "yot-fn-kpis";
        var provider = ReturnScenario.Provider(yot);
        await fixture.AddAgreementAsync(Agreement(provider, yot, ["yot-children", "yot-interventions", "yot-accommodation"], kind: "yot"));
        using var app = App();
        await IngestThroughFunctionAsync(app, provider, "yot-children", ReturnScenario.Children("FNK"), "children.csv");
        await IngestThroughFunctionAsync(app, provider, "yot-interventions", ReturnScenario.Interventions("FNK"), "interventions.csv");
        await IngestThroughFunctionAsync(app, provider, "yot-accommodation", ReturnScenario.Accommodation("FNK"), "accommodation.csv");
        var store = fixture.Pipeline.Get<KpiStore>();
        Assert.Null(await store.ReadAsync(yot, Period, default)); // ingest only asks for a recompute

        // The message as the queue trigger hands it over: host.json says base64, so the host decodes it first.
        var encoding =
            (string?)JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!["extensions"]?["queues"]?["messageEncoding"];
        var raw = new QueueClient(AzuriteConnectionString, StorageNames.KpiRecomputeQueue,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var mine = new List<string>();
        foreach (var message in (await raw.ReceiveMessagesAsync(32)).Value)
        {
            var text = encoding == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText)) : message.MessageText;
            if (KpiRecomputeRequest.FromJson(text).Yot != yot) continue;
            mine.Add(text);
            await raw.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        Assert.Contains(mine, text => KpiRecomputeRequest.FromJson(text).Period == Period);
        foreach (var text in mine) await app.Activate<ComputeKpis>().RunAsync(text, default);
        var byFunction = await store.ReadAsync(yot, Period, default);
        Assert.NotNull(byFunction);
        Assert.NotEmpty(byFunction.Kpis);

        // The local runner's queue worker on the same messages leaves the same results.
        foreach (var text in mine) await fixture.Storage.Queue(StorageNames.KpiRecomputeQueue).SendMessageAsync(text);
        await fixture.DrainQueueAsync();
        var byRunner = await store.ReadAsync(yot, Period, default);
        Assert.Equal(KpiJsonText(byRunner!), KpiJsonText(byFunction));
    }

    private static string KpiJsonText(KpiSet set) => System.Text.Json.JsonSerializer.Serialize(KpiJson.Set(set, disclosureControl: false));

    [Fact]
    public async Task The_poison_handlers_record_each_parked_message_in_the_audit_table()
    {
        using var app = App();
        var audit = fixture.Pipeline.Get<AuditLog>();
        const string kpiMessage = """{"yot":"yot-fn-poison","period":"2026-Q2"}""";
        const string blobMessage = """{"Type":"BlobTrigger","FunctionId":"Host.Functions.IngestDrop","BlobType":"BlockBlob","Container"""
            + """Name":"drops","BlobName":"school-fn-poison/school-attendance/a.csv","ETag":"\"0x1\""}""";

        await app.Activate<ComputeKpisPoison>().RunAsync(kpiMessage, default);
        await app.Activate<IngestDropPoison>().RunAsync(blobMessage, default);

        foreach (var (queue, message) in new[] { (StorageNames.KpiRecomputePoisonQueue, kpiMessage),
            (StorageNames.BlobTriggerPoisonQueue, blobMessage) })
        {
            var row = Assert.Single(await audit.ForSubjectAsync(PoisonMessageRecorder.Subject(queue, message), default));
            Assert.Equal((PoisonMessageRecorder.Step, message), (row.Step, row.Detail));
        }
        // The blob path (a provider's file name) stays in the access-controlled table, out of the logs.
        Assert.DoesNotContain(fixture.Logs, line => line.Contains("school-fn-poison/school-attendance/a.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitKpiReturns_at_six_on_1_July_builds_the_quarters_returns_and_the_local_timer_then_finds_them_unchanged()
    {
        const string yot = "yot-fn-returns";
        await ReturnScenario.SendAsync(fixture, yot, "FNR");
        var sixOnFirstJuly = new DateTimeOffset(2026, 7, 1, 6, 0, 0, TimeSpan.Zero);
        using var app = App(new FixedClock(sixOnFirstJuly));

        await app.Activate<SubmitKpiReturns>().RunAsync(new TimerInfo(), default);

        var ledger = fixture.Pipeline.Get<SubmissionLedger>();
        var built = Assert.Single(await ledger.ListAsync(yot, Period));
        Assert.Equal((1, SubmissionStates.Built), (built.Version, built.State));
        Assert.Contains($"{Triggers.YjbReturnsFolder}/{Period}/{yot}/return-v1.json",
            await fixture.BlobNamesAsync(StorageNames.SubmissionsContainer));

        // The local runner's timer loop at the same moment runs the same job: nothing new to write.
        var runner = new ScheduledJobRunner(fixture.Pipeline.Services.GetServices<IScheduledJob>(), _ => null, sixOnFirstJuly.AddHours(-1));
        Assert.Equal([Triggers.SubmitKpiReturnsFunction], await runner.RunDueAsync(sixOnFirstJuly.AddSeconds(30), default));
        var after = Assert.Single(await ledger.ListAsync(yot, Period));
        Assert.Equal((1, SubmissionStates.Unchanged), (after.Version, after.LastRun));
    }

    [Fact]
    public async Task ApplyRetention_with_the_clock_moved_past_the_agreement_deletes_the_raw_drop_and_leaves_the_local_run_nothing()
    {
        const string yot = "yot-fn-retention";
        var provider = ReturnScenario.Provider(yot);
        await fixture.AddAgreementAsync(Agreement(provider, yot, ["yot-children"], kind: "yot") with
        {
            Retention = new YouthJustice.Pipeline.Agreements.RetentionPolicy { RawDropDays = 10, QuarantineDays = 3650,
                CuratedDays = 3650 },
        });
        var receipt = await fixture.IngestAsync(provider, "yot-children", ReturnScenario.Children("FNT"), "children.csv");
        var rawDrop = $"{provider}/yot-children/children.csv";
        Assert.Contains(rawDrop, await fixture.BlobNamesAsync(StorageNames.DropsContainer));
        var elevenDaysOn = fixture.Pipeline.Get<TimeProvider>().GetUtcNow().AddDays(11);
        using var app = App(new FixedClock(elevenDaysOn));

        await app.Activate<ApplyRetention>().RunAsync(new TimerInfo(), default);

        Assert.DoesNotContain(rawDrop, await fixture.BlobNamesAsync(StorageNames.DropsContainer));
        Assert.Contains(await fixture.Pipeline.Get<AuditLog>().ForSubjectAsync($"drop-{receipt.DropId}", default), row =>
            row.Actor == RetentionJob.Actor);
        // The local runner's retention run at the same moment finds nothing more of this drop to delete.
        var plan = await fixture.Pipeline.Get<RetentionJob>().PlanAsync(elevenDaysOn, default);
        Assert.DoesNotContain(plan.Deletions, d => d.DropId == receipt.DropId);
    }

    [Fact]
    public async Task QueryApi_behind_the_aspnet_core_routes_the_host_maps_answers_a_token_as_pipeline_serve_does()
    {
        const string yot = "yot-fn-api";
        await ReturnScenario.SendAsync(fixture, yot, "FNA");
        using var app = App();
        await using var web = await FunctionRoutesAsync(app);
        await using var serve = await ApiHost.StartAsync(fixture);
        var path = $"/api/yots/{yot}/kpis/{Period}";

        // A token from the development issuer with the app's signing key (what `pipeline token` issues locally).
        var token = new DevelopmentTokens(new ApiAuthOptions { SigningKey = _signingKey }, TimeProvider.System)
            .Issue(new ApiTokenRequest(ApiRoles.Analyst, Yot: yot), DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        using var answer = await web.GetTestClient().SendAsync(ApiHost.Get(path, token));
        using var expected = await serve.Client.SendAsync(ApiHost.Get(path, serve.Token(new ApiTokenRequest(ApiRoles.Analyst, Yot: yot))));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (answer.StatusCode, expected.StatusCode));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await expected.Content.ReadAsStringAsync()),
            JsonNode.Parse(await answer.Content.ReadAsStringAsync())),
            "The function's answer differs from pipeline serve's");

        using var anonymous = await web.GetTestClient().SendAsync(ApiHost.Get(path, null));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var unknown = await web.GetTestClient().SendAsync(ApiHost.Get("/api/no-such-route", token));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>
    /// The worker side of the ASP.NET Core integration: the host forwards each request to the worker's own ASP.NET Core
    /// server, which maps every HTTP function at {routePrefix}/{route} with its methods (from the function metadata and
    /// host.json) and hands the function the request's <see cref="HttpRequest"/>. Here the same routes on a test server.
    /// </summary>
    private static async Task<WebApplication> FunctionRoutesAsync(FunctionsAppHost app)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var web = builder.Build();
        var prefix =
            (string?)JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!["extensions"]?["http"]?["routePrefix"] ?? "api";
        var trigger = FunctionMetadataTests.FileTriggers()[Triggers.QueryApiFunction];
        var methods = trigger["methods"]!.AsArray().Select(m => ((string)m!).ToUpperInvariant()).ToList();
        web.MapMethods($"{prefix}/{(string)trigger["route"]!}", methods,
            (RequestDelegate)(http => app.Activate<QueryApi>().RunAsync(http.Request, http.RequestAborted)));
        await web.StartAsync();
        return web;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
