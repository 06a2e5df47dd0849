using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Api;

/// <summary>
/// Hostile route values are refused before any work (400 for a malformed YOT, provider, drop id, KPI id or quarter; 404
/// for a YOT no agreement names), every outcome of an authenticated request is audited (a handler that throws too), and
/// requests without a valid token are counted per hour and reason rather than written one row each. Both hosts.
/// </summary>
public sealed class ApiValidationTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Yot = "yot-val";
    private const string Period = "2026-Q2";
    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        await fixture.AddAgreementAsync(TestData.Agreement("school-val", Yot, ["school-attendance"]));
        await fixture.Pipeline.Get<KpiStore>().WriteAsync(new KpiSet
        {
            Yot = Yot, Period = Period, PeriodLabel = "2026/27 Q1", EngineVersion = KpiEngine.Version,
            Kpis = [new KpiResult { Id = "kpi2-ete", Numerator = 12, Denominator = 20 }],
        }, default);
        _host = await ApiHost.StartAsync(fixture);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string Yjb => _host.Token(new ApiTokenRequest(ApiRoles.Yjb));

    private static readonly string LongYot = new('y', 2000);

    /// <summary>Paths (already URL-encoded as a client sends them) and the status each must get.</summary>
    public static TheoryData<string, int> Hostile => new()
    {
        { "/api/yots/%3Cscript%3Ealert(1)%3C%2Fscript%3E/board-pack/2026-Q2", 400 },
        { "/api/yots/no-such-yot/board-pack/2026-Q2", 404 },
        { "/api/yots/no-such-yot/kpis/2026-Q2", 404 },
        { "/api/yots/a%23b/kpis/2026-Q2", 400 },
        { "/api/yots/a%7Cb/kpis/2026-Q2", 400 },
        { "/api/yots/a%5Cb/kpis/2026-Q2", 400 },
        { "/api/yots/a%3Fb/kpis/2026-Q2", 400 },
        { "/api/yots/YOT-VAL/kpis/2026-Q2", 400 },
        { $"/api/yots/{LongYot}/kpis/2026-Q2", 400 },
        { $"/api/yots/{LongYot}/board-pack/2026-Q2", 400 },
        { $"/api/yots/{Yot}/kpis/9999-Q4", 400 },
        { $"/api/yots/{Yot}/kpis/0000-Q1", 400 },
        { $"/api/yots/{Yot}/board-pack/0001-Q1", 400 },
        { $"/api/yots/{Yot}/trends?last=9999-Q4", 400 },
        { $"/api/yots/{Yot}/trends?last=2026-Q2&kpi=a%23b", 400 },
        { $"/api/yots/{Yot}/kpis/2026-Q2/a%7Cb", 400 },
        { $"/api/submissions/0001-Q1/{Yot}", 400 },
        { "/api/submissions/2026-Q2/a%5Cb", 400 },
        { "/api/drops/school-val/not-a-drop-id", 400 },
        { "/api/drops/a%23b/0000000000000000000000000000000000000000000000000000000000000000", 400 },
        { "/api/drops?provider=a%7Cb", 400 },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hostile_route_values_are_refused_before_any_work_and_audited(string path, int status)
    {
        var before = DateTimeOffset.UtcNow;
        foreach (var client in new[] { _host.Client, _host.FunctionsClient })
        {
            var token = path.StartsWith("/api/drops", StringComparison.Ordinal)
                ? _host.Token(new ApiTokenRequest(ApiRoles.Analyst, Yot: Yot))
                : Yjb;
            using var response = await client.SendAsync(ApiHost.Get(path, token));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == (int)response.StatusCode,
                $"GET {path[..Math.Min(path.Length, 80)]}: expected {status}, got {(int)response.StatusCode}: {text}");
            using var body = JsonDocument.Parse(text);
            var error = body.RootElement.GetProperty("error").GetString()!;
            Assert.DoesNotContain("<script>", error, StringComparison.Ordinal);
            Assert.DoesNotContain(LongYot[..100], error, StringComparison.Ordinal);
        }

        // Nothing was built or stored for a YOT that is not one.
        Assert.Empty(await fixture.BlobNamesAsync(StorageNames.ReportsContainer));
        // Each request has its audit row, with its status and without the refused value.
        var rows = await ApiRowsSinceAsync(before);
        Assert.Equal(2, rows.Count(r => r.Detail!.StartsWith($"{status} ", StringComparison.Ordinal)));
        Assert.All(rows, r => Assert.True(r.Detail!.Length < 200 && !r.Detail.Contains("script", StringComparison.Ordinal), r.Detail));
    }

    [Fact]
    public async Task A_valid_request_for_a_known_yot_still_gets_its_answer()
    {
        using var response = await _host.Client.SendAsync(ApiHost.Get($"/api/yots/{Yot}/kpis/{Period}", Yjb));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_handler_that_throws_answers_500_with_an_audit_row_and_no_detail()
    {
        var before = DateTimeOffset.UtcNow;
        var endpoint = new ApiEndpoint("Boom", "/api/yots/{yot}/boom", "Throws.", [ApiRoles.Yjb], [],
            (_, _) => throw new InvalidOperationException("Kieran Ashworth 2011-03-14"));
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.Path = $"/api/yots/{Yot}/boom";
        http.Request.Headers.Authorization = $"Bearer {Yjb}";
        http.Response.Body = new MemoryStream();

        await _host.Api.HandleAsync(http, endpoint, new RouteValueDictionary { ["yot"] = Yot }, default);

        Assert.Equal(500, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        var text = await new StreamReader(http.Response.Body).ReadToEndAsync();
        Assert.DoesNotContain("Kieran", text, StringComparison.Ordinal);
        var row = Assert.Single(await ApiRowsSinceAsync(before), r => r.Action == "GET /api/yots/{yot}/boom");
        Assert.Equal($"500 /api/yots/{Yot}/boom", row.Detail);
        Assert.NotEqual("anonymous", row.Actor);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_counted_per_hour_and_reason_not_audited_one_by_one()
    {
        var before = DateTimeOffset.UtcNow;
        var auditRowsBefore = await AuditRowCountAsync();
        var path = $"/api/yots/{Yot}/kpis/{Period}";

        var requests = Enumerable.Range(0, 40).Select(async i =>
        {
            var client = i % 2 == 0 ? _host.Client : _host.FunctionsClient;
            using var response = await client.SendAsync(ApiHost.Get(path, i < 30 ? null : "not.a.token"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        });
        await Task.WhenAll(requests);

        var tallies = await TalliesSinceAsync(before);
        Assert.Equal(30, tallies.Where(t => t.RowKey.EndsWith("-401-no-token", StringComparison.Ordinal))
            .Sum(t => t.GetInt64(AuditLog.CountProperty)));
        Assert.Equal(10, tallies.Where(t => t.RowKey.EndsWith("-401-invalid-token", StringComparison.Ordinal))
            .Sum(t => t.GetInt64(AuditLog.CountProperty)));
        // At most a row per hour and reason (two hours if the test straddles one), not forty.
        Assert.InRange(await AuditRowCountAsync() - auditRowsBefore, 2, 4);
        Assert.Empty(await ApiRowsSinceAsync(before));
    }

    private async Task<List<AuditEntry>> ApiRowsSinceAsync(DateTimeOffset since)
    {
        var audit = fixture.Pipeline.Get<AuditLog>();
        var rows = new List<AuditEntry>();
        foreach (var day in new[] { since, DateTimeOffset.UtcNow }.Select(PipelineApi.AuditSubject).Distinct())
            rows.AddRange(await audit.ForSubjectAsync(day, default));
        return rows.Where(r => r.At >= since).ToList();
    }

    private async Task<List<TableEntity>> TalliesSinceAsync(DateTimeOffset since)
    {
        var list = new List<TableEntity>();
        foreach (var day in new[] { since, DateTimeOffset.UtcNow }.Select(AnonymousRequestTally.Subject).Distinct())
            await foreach (var e in fixture.Storage.Table(StorageNames.AuditTable).QueryAsync<TableEntity>(e => e.PartitionKey == day))
                list.Add(e);
        return list;
    }

    private async Task<int> AuditRowCountAsync()
    {
        var n = 0;
        await foreach (var _ in fixture.Storage.Table(StorageNames.AuditTable).QueryAsync<TableEntity>(select: ["PartitionKey"])) n++;
        return n;
    }
}
