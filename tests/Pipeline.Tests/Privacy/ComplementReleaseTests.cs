using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Reporting;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;
using YouthJustice.Pipeline.Tests.Api;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Privacy;

/// <summary>
/// "5 of 8 in suitable education" leaves the YOT as <c>c</c> wherever figures leave it — the YJB return, the YJB's API
/// view, the published board pack, <c>pipeline kpis --suppressed</c> — because it says that 3 children were not;
/// "20 of 20" leaves as it is.
/// </summary>
public sealed class ComplementReleaseTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Yot = "yot-comp";
    private static readonly Quarter Period = new(2026, 2);

    private static readonly KpiSet Results = new()
    {
        Yot = Yot, Period = Period.ToString(), PeriodLabel = Period.FinancialYearLabel, EngineVersion = KpiEngine.Version,
        Kpis =
        [
            new KpiResult { Id = "kpi2-ete", Numerator = 5, Denominator = 8 },
            new KpiResult { Id = "kpi1-accommodation", Numerator = 20, Denominator = 20 },
        ],
    };

    public async Task InitializeAsync()
    {
        await fixture.AddAgreementAsync(TestData.Agreement("school-comp", Yot, ["school-attendance"]));
        await fixture.Pipeline.Get<KpiStore>().WriteAsync(Results, default);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_yjb_return_withholds_a_small_complement()
    {
        var outcome = await fixture.Pipeline.Get<QuarterlyReturns>().BuildAsync(Yot, Period, DateTimeOffset.UtcNow, "test", default);
        var ret = KpiReturnDocument.Parse(await fixture.DownloadAsync(StorageNames.SubmissionsContainer, outcome.Blobs[0]));

        ReturnCell Total(string id) => ret.Rows.Single(r => r.Id == id).Cells.Single(c => c.Column == ReturnLayout.Total);
        Assert.Equal((CellStates.Withheld, (long?)null, (long?)null),
            (Total("kpi2-ete").State, Total("kpi2-ete").Numerator, Total("kpi2-ete").Denominator));
        Assert.Equal((CellStates.Published, (long?)20, (long?)20),
            (Total("kpi1-accommodation").State, Total("kpi1-accommodation").Numerator, Total("kpi1-accommodation").Denominator));
    }

    [Fact]
    public async Task The_yjbs_api_view_withholds_it_and_the_yots_own_analyst_sees_it()
    {
        await using var host = await ApiHost.StartAsync(fixture);
        JsonElement Kpi(JsonDocument d, string id) => d.RootElement.GetProperty("kpis").EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == id);

        using var yjb = await GetAsync(host, new ApiTokenRequest(ApiRoles.Yjb));
        Assert.True(Kpi(yjb, "kpi2-ete").GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, Kpi(yjb, "kpi2-ete").GetProperty("numerator").ValueKind);
        Assert.Equal(20, Kpi(yjb, "kpi1-accommodation").GetProperty("numerator").GetInt64());

        using var analyst = await GetAsync(host, new ApiTokenRequest(ApiRoles.Analyst, Yot: Yot));
        Assert.Equal(5, Kpi(analyst, "kpi2-ete").GetProperty("numerator").GetInt64());
    }

    [Fact]
    public async Task The_published_board_pack_withholds_it_and_the_internal_one_shows_it()
    {
        string Card(string html, string id) =>
            Regex.Match(html, $@"<article class=""card"" id=""kpi-{id}"">.*?</article>", RegexOptions.Singleline).Value;
        var builder = fixture.Pipeline.Get<BoardPackBuilder>();

        var published = await builder.BuildAsync(Yot, Period, new BoardPackOptions { Publish = true }, default);
        Assert.Contains("<p class=\"big\">c</p>", Card(published, "kpi2-ete"));
        Assert.DoesNotContain("5 of 8", published);
        Assert.Contains("<p class=\"big\">100.0%</p>", Card(published, "kpi1-accommodation"));

        var internalPack = await builder.BuildAsync(Yot, Period, new BoardPackOptions(), default);
        Assert.Contains("5 of 8", Card(internalPack, "kpi2-ete"));
    }

    [Fact]
    public async Task Pipeline_kpis_suppressed_withholds_it()
    {
        var output = new StringWriter();
        var exit = await KpisCommand.ShowAsync(fixture.Pipeline.Get<KpiStore>(), fixture.Pipeline.Get<KpiRecomputer>(),
            fixture.Pipeline.Get<IOptions<DisclosureOptions>>().Value,
                new KpisRequest(Yot, Period.ToString(), Json: true, All: true, Suppressed: true),
            output, TextWriter.Null, default);

        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(output.ToString());
        var ete = doc.RootElement.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("id").GetString() == "kpi2-ete");
        Assert.True(ete.GetProperty("suppressed").GetBoolean());
    }

    private static async Task<JsonDocument> GetAsync(ApiHost host, ApiTokenRequest caller)
    {
        using var response = await host.Client.SendAsync(ApiHost.Get($"/api/yots/{Yot}/kpis/{Period}", host.Token(caller)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
