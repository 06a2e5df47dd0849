using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Api.Auth;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// Who is looking at a page, and whether a form post really came from one of our pages.
/// <list type="bullet">
/// <item><b>Development</b> (<c>Api:Mode = Development</c>, the local runner): the sign-in page issues a development
/// token (<see cref="DevelopmentTokens"/>) into an HttpOnly, SameSite=Strict cookie; each request validates it as the API
/// validates a bearer token. Nothing here exists in any other mode.</item>
/// <item><b>Azure</b>: built-in authentication (Easy Auth) signs the user in with Entra ID and passes the principal in
/// <c>X-MS-CLIENT-PRINCIPAL</c>, read only when <see cref="PagesOptions.EasyAuth"/> is set (see <see cref="EasyAuthPrincipal"/>).</item>
/// </list>
/// CSRF: every form and script post carries a token equal to the <c>pipeline-csrf</c> cookie (random, HttpOnly,
/// SameSite=Strict), and a cross-site request (Sec-Fetch-Site, or an Origin naming another host) is refused outright.
/// ASP.NET Core's antiforgery would need a data-protection key ring shared by every Functions instance; the cookie pair
/// needs no server state, and SameSite=Strict already keeps other sites' requests from carrying either cookie.
/// </summary>
public sealed class PageAuth(IApiTokenValidator tokens, IOptions<PagesOptions> options, TimeProvider clock)
{
    public const string SessionCookie = "pipeline-session";
    public const string CsrfCookie = "pipeline-csrf";
    public const string CsrfField = "csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>The development issuer, when this is a development host; null in Azure.</summary>
    public DevelopmentTokens? Development => tokens as DevelopmentTokens;

    public bool EasyAuth => options.Value.EasyAuth && Development is null;

    public async Task<ApiCaller?> CallerAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Development is { } development)
        {
            if (!request.Cookies.TryGetValue(SessionCookie, out var token) || string.IsNullOrEmpty(token)) return null;
            var identity = await development.ValidateAsync(token, cancellationToken);
            return identity is null ? null : ApiCaller.From(identity);
        }
        return EasyAuth ? EasyAuthPrincipal.Read(request.Headers[EasyAuthPrincipal.Header].ToString()) : null;
    }

    /// <summary>Signs in with a development token for the chosen role (development hosts only).</summary>
    public void SignIn(HttpContext http, ApiTokenRequest who)
    {
        var development = Development ?? throw new InvalidOperationException("Development sign-in is only for development hosts.");
        var lifetime = options.Value.DevelopmentSessionLifetime;
        var token = development.Issue(who, clock.GetUtcNow(), lifetime);
        http.Response.Cookies.Append(SessionCookie, token, CookieOptions(http, lifetime));
    }

    public static void SignOut(HttpContext http) => http.Response.Cookies.Delete(SessionCookie, CookieOptions(http, null));

    /// <summary>The request's CSRF token, set as a cookie on the response when the browser has none yet.</summary>
    public static string CsrfToken(HttpContext http)
    {
        if (http.Items[CsrfCookie] is string issued) return issued;
        if (!http.Request.Cookies.TryGetValue(CsrfCookie, out var token) || token is not { Length: 43 })
        {
            token = Base64Url(RandomNumberGenerator.GetBytes(32));
            http.Response.Cookies.Append(CsrfCookie, token, CookieOptions(http, null));
        }
        http.Items[CsrfCookie] = token;
        return token;
    }

    /// <summary>True when a state-changing request came from one of our own pages.</summary>
    public static bool IsSameOriginPost(HttpRequest request, string? formToken)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none")) return false;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && origin != "null" &&
            (!Uri.TryCreate(origin, UriKind.Absolute, out var o)
                || !string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
            return false;
        var sent = formToken ?? request.Headers[CsrfHeader].ToString();
        return request.Cookies.TryGetValue(CsrfCookie, out var cookie) && cookie is { Length: > 0 } && sent.Length > 0 &&
               CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(sent));
    }

    private static CookieOptions CookieOptions(HttpContext http, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The principal App Service / Functions built-in authentication passes to the app: <c>X-MS-CLIENT-PRINCIPAL</c>, base64
/// JSON <c>{"auth_typ", "name_typ", "role_typ", "claims": [{"typ", "val"}]}</c>, mapped to the API's roles:
/// <list type="bullet">
/// <item>roles: the claims of type <c>role_typ</c> (or <c>roles</c>), i.e. the Entra ID app registration's app roles
/// <c>analyst</c>, <c>board</c>, <c>yjb</c>, <c>provider</c>, assigned to users or groups in the enterprise application;</item>
/// <item><c>yot</c> and <c>provider</c>: optional claims of those names (or <c>extn.yot</c> / <c>extn.provider</c>, as
/// directory extension attributes are named in tokens);</item>
/// <item>subject (audited): the object id claim, else the name.</item>
/// </list>
/// A principal with none of the four roles is signed in but sees nothing.
/// </summary>
public static class EasyAuthPrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";
    private const string ObjectId = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    public static ApiCaller? Read(string header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header));
            var root = doc.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
            var nameType = root.TryGetProperty("name_typ", out var nt) && nt.ValueKind == JsonValueKind.String ? nt.GetString() : null;
            var claims = new List<(string Type, string Value)>();
            if (root.TryGetProperty("claims", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var c in list.EnumerateArray())
                    if (c.TryGetProperty("typ", out var t) && c.TryGetProperty("val", out var v) && t.GetString() is { } type
                        && v.GetString() is { } value)
                        claims.Add((type, value));
            string? First(params string[] types) => claims.FirstOrDefault(c => types.Contains(c.Type, StringComparer.Ordinal)).Value;
            var roles = claims.Where(c => c.Type == roleType || c.Type == ApiClaims.Roles)
                .Select(c => c.Value).Where(r => ApiRoles.All.Contains(r, StringComparer.Ordinal)).ToHashSet(StringComparer.Ordinal);
            var subject = First("oid", ObjectId) ?? (nameType is null ? null : First(nameType)) ?? "unknown";
            return new ApiCaller(subject, roles, First(ApiClaims.Yot, "extn.yot"), First(ApiClaims.Provider, "extn.provider"));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
