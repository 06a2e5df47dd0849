using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Api.Pages;
using static YouthJustice.Pipeline.Api.Pages.Html;

namespace YouthJustice.Pipeline.Tests.Api.Pages;

/// <summary>Who the pages think is signed in, in each mode; file names for uploads; HTML that cannot be broken out of.</summary>
public sealed class PageAuthTests
{
    private static string Principal(params (string Type, string Value)[] claims) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
    })));

    private static HttpRequest Request(string? principal = null, string? sessionCookie = null)
    {
        var http = new DefaultHttpContext();
        if (principal is not null) http.Request.Headers[EasyAuthPrincipal.Header] = principal;
        if (sessionCookie is not null) http.Request.Headers.Cookie = $"{PageAuth.SessionCookie}={sessionCookie}";
        return http.Request;
    }

    private static readonly EntraIdTokenValidator EntraId = new(new ApiAuthOptions
    {
        Mode = ApiAuthOptions.EntraIdMode, Authority = "https://login.microsoftonline.com/tenant/v2.0",
    });

    [Fact]
    public async Task Easy_Auth_app_roles_and_yot_or_provider_claims_map_to_the_same_roles_as_the_API()
    {
        var auth = new PageAuth(EntraId, Options.Create(new PagesOptions { EasyAuth = true }), TimeProvider.System);
        var analyst = await auth.CallerAsync(Request(Principal(
            ("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "analyst"),
            ("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "global-admin"),
            ("extn.yot", "demo-yot"),
            ("http://schemas.microsoft.com/identity/claims/objectidentifier", "0f3c-oid"))), default);
        Assert.NotNull(analyst);
        Assert.Equal(["analyst"], analyst.Roles);
        Assert.Equal("demo-yot", analyst.Yot);
        Assert.Equal("0f3c-oid", analyst.Subject);
        Assert.True(analyst.MaySeeChildren("demo-yot"));
        Assert.False(analyst.MaySeeChildren("other-yot"));

        var provider = await auth.CallerAsync(Request(Principal(("roles", "provider"), ("provider", "school-a"), ("oid", "p-1"))), default);
        Assert.Equal(("school-a", (string?)null), (provider!.Provider, provider.Yot));
        Assert.Null(await auth.CallerAsync(Request("not base64 json"), default));
        Assert.Null(auth.Development);
    }

    [Fact]
    public async Task The_principal_header_is_never_read_unless_built_in_authentication_is_said_to_be_on()
    {
        var off = new PageAuth(EntraId, Options.Create(new PagesOptions { EasyAuth = false }), TimeProvider.System);
        Assert.Null(await off.CallerAsync(Request(Principal(("roles", "yjb"))), default));
        Assert.False(off.EasyAuth);
    }

    [Fact]
    public async Task Development_sign_in_exists_only_with_the_development_issuer_and_a_development_host_ignores_the_principal_header()
    {
        var development = new DevelopmentTokens(new ApiAuthOptions { SigningKey = DevelopmentTokens.NewKey() }, TimeProvider.System);
        var token = development.Issue(
            new ApiTokenRequest(ApiRoles.Provider, Provider: "school-a"), DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

        var local = new PageAuth(development, Options.Create(new PagesOptions { EasyAuth = true }), TimeProvider.System);
        Assert.False(local.EasyAuth);
        Assert.Equal("school-a", (await local.CallerAsync(Request(sessionCookie: token), default))!.Provider);
        Assert.Null(await local.CallerAsync(Request(Principal(("roles", "yjb"))), default));

        var azure = new PageAuth(EntraId, Options.Create(new PagesOptions()), TimeProvider.System);
        Assert.Null(azure.Development);
        Assert.Null(await azure.CallerAsync(Request(sessionCookie: token), default));
        Assert.Throws<InvalidOperationException>(() => azure.SignIn(new DefaultHttpContext(), new ApiTokenRequest(ApiRoles.Yjb)));
    }

    [Theory]
    [InlineData("attendance.csv", "attendance.csv")]
    [InlineData("C:\\Users\\office\\St Mary's attendance (May).CSV", "St-Mary-s-attendance-May.csv")]
    [InlineData("../../etc/passwd", "passwd.csv")]
    [InlineData("....csv", "upload.csv")]
    [InlineData("a%2F..%2Fb.csv", "a-2F-2Fb.csv")]
    public void Upload_file_names_become_safe_blob_names(string sent, string stored) => Assert.Equal(stored, UploadLinks.SafeName(sent));

    [Fact]
    public void Values_in_markup_are_encoded_and_markup_is_not()
    {
        var group = "<script>alert('x')</script> & \"more\"";
        var cell = H($"<td title=\"{group}\">{group}</td>{new Markup("<br>")}");
        const string Encoded = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;";
        Assert.Equal($"<td title=\"{Encoded}\">{Encoded}</td><br>", cell.Value);
    }
}
