using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Pages;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Kpis.Families;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>
/// The pages' rules that no screen shows: CSRF and cross-site posts refused, the session cookie's flags, the CSP, the
/// upload link's limits (one new blob, create and write only), the drop id the upload page computes being the ingestor's,
/// GOV.UK Frontend served from the pinned package, and the Functions dispatch serving the same pages. The demo's data is
/// shared with the other page tests (<see cref="DemoPages"/>); the upload goes to the class's own account.
/// </summary>
public sealed partial class PagesHttpTests(DemoPages fixture, UploadPages uploads) : IClassFixture<DemoPages>, IClassFixture<UploadPages>
{
    private const string School = "school-northbridge-academy";

    private sealed class Browserish : IDisposable
    {
        public CookieContainer Cookies { get; } = new();
        public HttpClient Client { get; }
        public string Csrf { get; private set; } = "";

        public Browserish(string site)
        {
            Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(site),
            };
        }

        /// <summary>Opens a page as a browser would and keeps the CSRF token its forms carry.</summary>
        public async Task<string> GetPageAsync(string path)
        {
            var html = await Client.GetStringAsync(path);
            Csrf = CsrfMeta().Match(html).Groups[1].Value;
            return html;
        }

        public async Task<HttpResponseMessage> SignInAsync(string role, string? provider = null, string? yot = null)
        {
            await GetPageAsync("/sign-in");
            return await Client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["csrf"] = Csrf, ["role"] = role, ["provider"] = provider ?? "", ["yot"] = yot ?? "", ["returnUrl"] = "/",
            }));
        }

        public void Dispose() => Client.Dispose();
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex CsrfMeta();

    [Fact]
    public async Task A_sign_in_without_the_forms_token_or_from_another_site_is_refused_and_one_with_it_sets_a_strict_HttpOnly_cookie()
    {
        using var browser = new Browserish(fixture.Site);
        await browser.GetPageAsync("/sign-in");
        var form = new Dictionary<string, string> { ["role"] = ApiRoles.Yjb, ["returnUrl"] = "/" };

        var noToken = await browser.Client.PostAsync("/sign-in", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        Assert.False(noToken.Headers.Contains("Set-Cookie")
            && noToken.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(PageAuth.SessionCookie, StringComparison.Ordinal)));

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["csrf"] = browser.Csrf }),
        };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.SendAsync(crossSite)).StatusCode);

        var signedIn = await browser.SignInAsync(ApiRoles.Yjb);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie")
            .Single(c => c.StartsWith(PageAuth.SessionCookie + "=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        var home = await browser.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.SeeOther, home.StatusCode);
        Assert.Equal("/yots", home.Headers.Location!.OriginalString);

        // An address on another site is never where sign-in sends anyone.
        Assert.Equal("/", SignInPages.LocalUrl("//evil.example/x"));
        Assert.Equal("/", SignInPages.LocalUrl("https://evil.example/"));
        Assert.Equal("/provider", SignInPages.LocalUrl("/provider"));
    }

    [Fact]
    public async Task Pages_allow_no_inline_script_and_connect_only_to_themselves_and_the_blob_endpoint()
    {
        using var browser = new Browserish(fixture.Site);
        var response = await browser.Client.GetAsync("/sign-in");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains($"connect-src 'self' {fixture.Storage.Blobs.Uri.Scheme}://{fixture.Storage.Blobs.Uri.Authority};", csp);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotContain(" style=", html);
    }

    [Fact]
    public async Task The_children_behind_an_hours_figure_add_up_to_it_in_hours()
    {
        var quarter = DemoData.Period.ToString();
        var set = (await fixture.Pipeline.Get<KpiStore>().ReadAsync(DemoData.Yot, quarter, default))!;
        var kpi = set.Kpis.Single(k => k.Id == CollegeMeasures.Attendance);
        Assert.True(kpi.Denominator > 0, "the demo quarter has college hours");
        var units = KpiCatalogue.Units(kpi.Id);

        using var browser = new Browserish(fixture.Site);
        await browser.SignInAsync(ApiRoles.Analyst, yot: DemoData.Yot);
        var html = await browser.GetPageAsync($"/yots/{DemoData.Yot}/{quarter}/kpis/{kpi.Id}/children");

        // Stored in minutes, read in hours: the page's total is the figure's own, not sixty times it.
        Assert.Contains($"make {units.Format(kpi.Numerator)} of {units.Format(kpi.Denominator)}.", html);
        Assert.DoesNotContain($">{kpi.Denominator.ToString("N0", CultureInfo.InvariantCulture)}<", html);

        var csv = await browser.Client.GetStringAsync($"/yots/{DemoData.Yot}/{quarter}/kpis/{kpi.Id}/children.csv");
        var denominators = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Sum(line => double.Parse(line.Split(',')[^1], CultureInfo.InvariantCulture));
        Assert.Equal(units.Shown(kpi.Denominator), denominators, 6);
    }

    [Fact]
    public async Task GOV_UK_Frontend_is_served_from_the_version_package_lock_pins()
    {
        using var browser = new Browserish(fixture.Site);
        var lockFile = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "package-lock.json")));
        var pinned = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/govuk-frontend")
            .GetProperty("version").GetString();
        var js = await browser.Client.GetStringAsync("/assets/govuk-frontend.min.js");
        Assert.StartsWith($"const version=\"{pinned}\"", js);
        var css = await browser.Client.GetAsync("/assets/govuk-frontend.min.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        var fonts = Regex.Matches(await css.Content.ReadAsStringAsync(), @"url\((/assets/[^)]+)\)").Select(m => m.Groups[1].Value);
        foreach (var font in fonts.Distinct())
            Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync(font)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/assets/../Pipeline.Api.csproj")).StatusCode);
    }

    [Fact]
    public async Task An_upload_link_writes_one_new_blob_under_the_providers_own_path_and_nothing_else()
    {
        using var browser = new Browserish(uploads.Site);
        await browser.SignInAsync(ApiRoles.Provider, provider: School);
        await browser.GetPageAsync("/provider");

        async Task<HttpResponseMessage> AskAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/provider/uploads") { Content = JsonContent.Create(body) };
            request.Headers.Add("X-CSRF-Token", browser.Csrf);
            request.Headers.Add("Accept", "application/json");
            return await browser.Client.SendAsync(request);
        }

        var notCovered = await AskAsync(new { dropType = "yot-children", fileName = "children.csv", size = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, notCovered.StatusCode);
        Assert.Contains("does not cover 'yot-children'", await notCovered.Content.ReadAsStringAsync());

        var answer = await AskAsync(
            new { dropType = "school-attendance", fileName = "C:\\exports\\Attendance (May) <final>.csv", size = 100 });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var link = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        var blobName = link.GetProperty("blobName").GetString()!;
        Assert.Matches($"^{School}/school-attendance/\\d{{8}}-\\d{{6}}-Attendance-May-final\\.csv$", blobName);
        var url = new Uri(link.GetProperty("uploadUrl").GetString()!);
        Assert.Contains("sp=cw", url.Query);

        var content = TestData.Bytes("upn,urn,session_date,session,attendance_code\r\n");
        uploads.Identifiers.Remember("school-attendance", content);
        await new BlockBlobClient(url).UploadAsync(new MemoryStream(content));
        var read = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobClient(url).DownloadContentAsync());
        Assert.Equal(403, read.Status);
        var sibling = new UriBuilder(url)
        {
            Path = url.AbsolutePath.Replace("Attendance-May-final", "someone-else", StringComparison.Ordinal),
        }.Uri;
        var elsewhere = await Assert.ThrowsAsync<RequestFailedException>(
            () => new BlockBlobClient(sibling).UploadAsync(new MemoryStream(content)));
        Assert.Equal(403, elsewhere.Status);

        // The page the upload goes on to names the drop by the id the ingestor gives it.
        var next = await browser.Client.GetAsync(link.GetProperty("next").GetString());
        Assert.Equal(HttpStatusCode.SeeOther, next.StatusCode);
        var receipt = (await uploads.Watcher.PollOnceAsync(default)).Single(r => r.Provider == School);
        Assert.Equal(PageRoutes.ReceiptOf(receipt.DropId), next.Headers.Location!.OriginalString);
        Assert.Equal(ReceiptStatus.Rejected, receipt.Status);
    }

    [Fact]
    public async Task The_Functions_dispatch_serves_the_same_pages_and_leaves_api_paths_to_the_API()
    {
        var pages = fixture.Pipeline.Get<PipelinePages>();
        var api = fixture.Pipeline.Get<PipelineApi>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        // What functions/QueryApi.cs does with every request.
        app.Run(http => pages.DispatchAsync(http, api, http.RequestAborted));
        await app.StartAsync();
        using var client = app.GetTestClient();

        var signIn = await client.GetAsync("/sign-in");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("<h1 class=\"govuk-heading-xl\">Sign in</h1>", await signIn.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/assets/pages.js")).StatusCode);
        Assert.Equal("application/json", (await client.GetAsync(ApiRoutes.OpenApi)).Content.Headers.ContentType!.MediaType);
        var provider = await client.GetAsync("/provider");
        Assert.Equal(HttpStatusCode.SeeOther, provider.StatusCode);
        Assert.StartsWith("/sign-in?returnUrl=", provider.Headers.Location!.OriginalString);
    }
}
