using System.Net;
using System.Reflection;
using System.Text.Json;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.HandCheckedScenario;

namespace YouthJustice.Pipeline.Tests.Api;

/// <summary>
/// The analysts' API over real Azurite: YOT A is <see cref="HandCheckedScenario"/> (real drops, KPIs computed by the
/// engine), YOT B has stored results with small numbers. Every role against every endpoint, both hosts.
/// </summary>
public sealed class ApiTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string YotA = Yot;
    private const string YotB = "yot-other";
    private const string Period = "2026-Q2";
    private const string OtherProvider = "school-elsewhere";

    private ApiHost _host = null!;
    private string _dropA = null!;

    public async Task InitializeAsync()
    {
        if ((await fixture.BlobNamesAsync(StorageNames.KpisContainer)).Count == 0)
        {
            await LoadAsync(fixture);
            await fixture.Pipeline.Get<KpiStore>().WriteAsync(YotBResults, default);
        }
        // The API answers for YOTs an agreement names; YOT B's results were stored by hand, so it gets one here.
        await fixture.AddAgreementAsync(TestData.Agreement(OtherProvider, YotB, ["school-attendance"]));
        _dropA = (await fixture.Pipeline.Get<DropLedger>().ForProviderAsync(SchoolA, default)).Single().RowKey;
        _host = await ApiHost.StartAsync(fixture);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>YOT B: 3 of 20 in suitable ETE, 2 of 12 boys and 1 of 8 girls — counts of 1 to 4 that must not leave
    /// unsuppressed.</summary>
    private static KpiSet YotBResults => new()
    {
        Yot = YotB, Period = Period, PeriodLabel = "2026/27 Q1", EngineVersion = KpiEngine.Version,
        Kpis =
        [
            new KpiResult
            {
                Id = "kpi2-ete", Numerator = 3, Denominator = 20,
                Breakdowns = new SortedDictionary<string, IReadOnlyList<KpiGroup>>
                {
                    ["sex"] = [new KpiGroup { Group = "Female", Numerator = 1, Denominator = 8 },
                        new KpiGroup { Group = "Male", Numerator = 2, Denominator = 12 }],
                },
            },
        ],
    };

    private static readonly Dictionary<string, ApiTokenRequest> Callers = new()
    {
        ["analyst-A"] = new(ApiRoles.Analyst, Yot: YotA),
        ["analyst-B"] = new(ApiRoles.Analyst, Yot: YotB),
        ["board-A"] = new(ApiRoles.Board, Yot: YotA),
        ["yjb"] = new(ApiRoles.Yjb),
        ["provider-A"] = new(ApiRoles.Provider, Provider: SchoolA),
        ["provider-other"] = new(ApiRoles.Provider, Provider: OtherProvider),
    };

    private const string KpisA = $"/api/yots/{YotA}/kpis/{Period}";
    private const string KpisB = $"/api/yots/{YotB}/kpis/{Period}";
    private const string KpiA = KpisA + "/" + KpiIds.SchoolAttendance;
    private const string ChildrenA = KpiA + "/children";
    private const string TrendsA = $"/api/yots/{YotA}/trends?last={Period}";
    private const string TrendsB = $"/api/yots/{YotB}/trends?last={Period}&kpi=kpi2-ete";
    private const string ReceiptA = $"/api/drops/{SchoolA}/{{dropA}}";
    private const string ReturnsA = $"/api/submissions/{Period}/{YotA}";
    private const string PackA = $"/api/yots/{YotA}/board-pack/{Period}";
    private const string ReturnsB = $"/api/submissions/{Period}/{YotB}";
    private const string NoSuchDrop = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Caller × path → status. 404 where the caller may ask but nothing is there (no return built yet; no KPI of that
    /// id).</summary>
    public static TheoryData<string, string, int> Matrix => new()
    {
        // A YOT's KPI results: its own analysts and board, and the YJB (suppressed); not other YOTs, not providers.
        { "analyst-A", KpisA, 200 }, { "board-A", KpisA, 200 }, { "yjb", KpisA, 200 }, { "analyst-B", KpisA, 403 },
            { "provider-A", KpisA, 403 },
        { "analyst-A", KpisB, 403 }, { "board-A", KpisB, 403 }, { "yjb", KpisB, 200 }, { "analyst-B", KpisB, 200 },
            { "provider-other", KpisB, 403 },
        { "analyst-A", $"/api/yots/{YotA}/kpis/2019-Q1", 404 }, { "analyst-A", $"/api/yots/{YotA}/kpis/2026-Q5", 400 },
        // One KPI with breakdowns.
        { "analyst-A", KpiA, 200 }, { "board-A", KpiA, 200 }, { "yjb", KpiA, 200 }, { "analyst-B", KpiA, 403 }, { "provider-A", KpiA, 403 },
        { "analyst-A", KpisA + "/no-such-kpi", 404 },
        // Child-level rows: the YOT's own analysts only.
        { "analyst-A", ChildrenA, 200 }, { "board-A", ChildrenA, 403 }, { "yjb", ChildrenA, 403 }, { "analyst-B", ChildrenA, 403 },
            { "provider-A", ChildrenA, 403 },
        { "analyst-A", KpisA + "/kpi8-board-attendance/children", 404 },
        // Trends.
        { "analyst-A", TrendsA, 200 }, { "board-A", TrendsA, 200 }, { "yjb", TrendsA, 200 }, { "analyst-B", TrendsA, 403 },
            { "provider-A", TrendsA, 403 },
        { "yjb", TrendsB, 200 }, { "analyst-A", TrendsB, 403 }, { "analyst-A", $"/api/yots/{YotA}/trends", 400 },
        // The drop ledger: providers their own, analysts their YOT's; boards and the YJB not at all.
        { "provider-A", "/api/drops", 200 }, { "analyst-A", "/api/drops", 200 }, { "board-A", "/api/drops", 403 },
            { "yjb", "/api/drops", 403 },
        { "provider-A", $"/api/drops?provider={SchoolB}", 403 }, { "analyst-A", $"/api/drops?provider={SchoolB}", 200 },
        // A receipt: its provider and the YOT's analysts.
        { "provider-A", ReceiptA, 200 }, { "provider-other", ReceiptA, 403 }, { "analyst-A", ReceiptA, 200 },
            { "analyst-B", ReceiptA, 403 },
        { "board-A", ReceiptA, 403 }, { "yjb", ReceiptA, 403 }, { "provider-A", $"/api/drops/{SchoolA}/{NoSuchDrop}", 404 },
        { "provider-A", $"/api/drops/{SchoolA}/0000", 400 },
        // Returns and their versions (none built in this class: 404 past the access check).
        { "analyst-A", ReturnsA, 404 }, { "board-A", ReturnsA, 404 }, { "yjb", ReturnsA, 404 }, { "analyst-B", ReturnsA, 403 },
            { "provider-A", ReturnsA, 403 },
        { "analyst-A", ReturnsB, 403 },
        // The board pack: as KPI results (the YJB's is the published one).
        { "analyst-A", PackA, 200 }, { "board-A", PackA, 200 }, { "yjb", PackA, 200 }, { "analyst-B", PackA, 403 },
            { "provider-A", PackA, 403 },
        { "analyst-A", $"/api/yots/{YotA}/board-pack/2026-Q5", 400 },
        // The OpenAPI document needs no token.
        { "analyst-A", ApiRoutes.OpenApi, 200 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_gets_what_it_may_see_and_no_more(string caller, string path, int status)
    {
        var token = _host.Token(Callers[caller]);
        path = path.Replace("{dropA}", _dropA, StringComparison.Ordinal);
        foreach (var client in new[] { _host.Client, _host.FunctionsClient })
        {
            using var response = await client.SendAsync(ApiHost.Get(path, token));
            Assert.True(status == (int)response.StatusCode,
                $"{caller} GET {path}: expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var text = await response.Content.ReadAsStringAsync();
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                Assert.Equal(200, status);
                Assert.StartsWith("<!DOCTYPE html>", text, StringComparison.OrdinalIgnoreCase);
                continue;
            }
            using var body = JsonDocument.Parse(text);
            if (status != 200) Assert.True(body.RootElement.TryGetProperty("error", out _));
        }
    }

    [Fact]
    public async Task The_yjb_sees_small_numbers_withheld_where_the_yots_own_analyst_sees_them()
    {
        var yjb = await GetJsonAsync(KpisB + "/kpi2-ete", Callers["yjb"]);
        var analyst = await GetJsonAsync(KpisB + "/kpi2-ete", Callers["analyst-B"]);

        var withheld = yjb.GetProperty("kpi");
        Assert.True(yjb.GetProperty("disclosureControl").GetBoolean());
        Assert.True(withheld.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, withheld.GetProperty("numerator").ValueKind);
        Assert.All(withheld.GetProperty("breakdowns").GetProperty("sex").EnumerateArray(), g =>
        {
            Assert.True(g.GetProperty("suppressed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, g.GetProperty("numerator").ValueKind);
        });

        var shown = analyst.GetProperty("kpi");
        Assert.False(analyst.GetProperty("disclosureControl").GetBoolean());
        Assert.Equal(3, shown.GetProperty("numerator").GetInt64());
        Assert.Equal(20, shown.GetProperty("denominator").GetInt64());

        // The trend view withholds the same way.
        var trend = await GetJsonAsync(TrendsB, Callers["yjb"]);
        var kpi = Assert.Single(Assert.Single(trend.GetProperty("trend").EnumerateArray()).GetProperty("kpis").EnumerateArray());
        Assert.True(kpi.GetProperty("suppressed").GetBoolean());
    }

    [Fact]
    public async Task Kpi_results_are_the_design_contract_shape_with_the_engines_figures()
    {
        var set = await GetJsonAsync(KpisA, Callers["analyst-A"]);
        Assert.Equal(YotA, set.GetProperty("yot").GetString());
        Assert.Equal(Period, set.GetProperty("period").GetString());
        var attendance = set.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("id").GetString() == KpiIds.SchoolAttendance);
        Assert.Equal(14, attendance.GetProperty("numerator").GetInt64());
        Assert.Equal(21, attendance.GetProperty("denominator").GetInt64());
        Assert.Equal(JsonValueKind.Object, attendance.GetProperty("breakdowns").ValueKind);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("expired")]
    [InlineData("wrong-signature")]
    [InlineData("garbage")]
    public async Task Without_a_valid_token_the_answer_is_401_and_nothing_else(string kind)
    {
        var request = Callers["analyst-A"];
        var token = kind switch
        {
            "none" => null,
            "expired" => _host.Tokens.Issue(request, DateTimeOffset.UtcNow.AddHours(-10), TimeSpan.FromHours(8)),
            "wrong-signature" => new DevelopmentTokens(new ApiAuthOptions { SigningKey = DevelopmentTokens.NewKey() }, TimeProvider.System)
                .Issue(request, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)),
            _ => "not.a.token",
        };
        foreach (var client in new[] { _host.Client, _host.FunctionsClient })
        {
            using var response = await client.SendAsync(ApiHost.Get(KpisA, token));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("numerator", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Drops_page_with_continuation_tokens_without_duplicates_or_gaps()
    {
        var expected = (await fixture.Pipeline.Get<DropLedger>().ForProviderAsync(YotProvider, default)).Select(e => e.RowKey).Order()
            .ToList();
        Assert.True(expected.Count >= 2);
        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var path = "/api/drops?pageSize=1" + (continuation is null ? "" : "&continuationToken=" + Uri.EscapeDataString(continuation));
            var page = await GetJsonAsync(path, new ApiTokenRequest(ApiRoles.Provider, Provider: YotProvider));
            seen.AddRange(page.GetProperty("drops").EnumerateArray().Select(d => d.GetProperty("dropId").GetString()!));
            continuation = page.GetProperty("continuationToken").GetString();
            Assert.True(++pages <= expected.Count + 1, "Paging does not end.");
        } while (continuation is not null);
        Assert.True(pages >= 2);
        Assert.Equal(expected, seen.Order().ToList());
    }

    [Fact]
    public async Task Child_level_rows_are_pseudonyms_with_groups_paged_without_duplicates()
    {
        var all = await GetJsonAsync(ChildrenA + "?pageSize=1000", Callers["analyst-A"]);
        Assert.Equal(KpiChildPopulations.Caseload, all.GetProperty("population").GetString());
        var ids = all.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("childId").GetString()!).ToList();
        Assert.True(ids.Count >= 2);
        Assert.All(all.GetProperty("children").EnumerateArray(), c =>
            Assert.Equal(ChildProfiles.Dimensions.Count, c.GetProperty("groups").EnumerateObject().Count()));
        Assert.DoesNotContain(RawIdentifiers, raw => all.GetRawText().Contains(raw, StringComparison.Ordinal));
        // The rows add up to the KPI's own figures.
        var kpi = (await GetJsonAsync(KpiA, Callers["analyst-A"])).GetProperty("kpi");
        Assert.Equal(kpi.GetProperty("numerator").GetInt64(), all.GetProperty("children").EnumerateArray()
            .Sum(c => c.GetProperty("numerator").GetInt64()));
        Assert.Equal(kpi.GetProperty("denominator").GetInt64(), all.GetProperty("children").EnumerateArray()
            .Sum(c => c.GetProperty("denominator").GetInt64()));

        var paged = new List<string>();
        string? continuation = null;
        do
        {
            var page = await GetJsonAsync(ChildrenA + "?pageSize=1" + (continuation is null ? "" : "&continuationToken=" + continuation),
                Callers["analyst-A"]);
            paged.AddRange(page.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("childId").GetString()!));
            continuation = page.GetProperty("continuationToken").GetString();
        } while (continuation is not null && paged.Count <= ids.Count);
        Assert.Equal(ids, paged);
    }

    [Fact]
    public async Task Every_request_is_audited_with_who_what_when_and_rows()
    {
        var before = DateTimeOffset.UtcNow;
        await GetJsonAsync(KpisA, Callers["analyst-A"]);
        using (await _host.Client.SendAsync(ApiHost.Get(KpisB, _host.Token(Callers["analyst-A"])))) { }
        using (await _host.FunctionsClient.SendAsync(ApiHost.Get(KpisA, null))) { }

        var audit = fixture.Pipeline.Get<AuditLog>();
        var rows = (await audit.ForSubjectAsync(PipelineApi.AuditSubject(before), default))
            .Concat(await audit.ForSubjectAsync(PipelineApi.AuditSubject(DateTimeOffset.UtcNow), default)).ToList();
        var api = rows.Where(r => r.At >= before.AddSeconds(-1) && r.Action.StartsWith("GET ", StringComparison.Ordinal)).ToList();
        Assert.Contains(api, r => r.Actor == "dev-analyst-yot-hand" && r.Action == $"GET {ApiRoutes.Kpis}" && r.Rows > 0
            && r.Detail!.StartsWith("200 ", StringComparison.Ordinal));
        Assert.Contains(api, r => r.Actor == "dev-analyst-yot-hand" && r.Rows == 0 && r.Detail == $"403 {KpisB}");
        Assert.DoesNotContain(api, r => r.Actor == "anonymous");   // counted instead: ApiValidationTests
        Assert.All(api, r => Assert.StartsWith("api|", r.Subject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route()
    {
        using var response = await _host.Client.GetAsync(ApiRoutes.OpenApi);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        var routes = typeof(ApiRoutes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(ApiRoutes.FunctionRoute)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.True(routes.Count >= 7);
        Assert.All(routes, r => Assert.Contains(r, paths));
        Assert.Equal(routes.Order(), paths.Order());
    }

    private async Task<JsonElement> GetJsonAsync(string path, ApiTokenRequest caller)
    {
        using var response = await _host.Client.SendAsync(ApiHost.Get(path, _host.Token(caller)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
