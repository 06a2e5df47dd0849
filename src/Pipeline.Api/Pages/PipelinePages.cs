using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// The pages for providers, analysts, board members and the YJB: one handler class per resource
/// (<see cref="SignInPages"/>, <see cref="ProviderPages"/>, <see cref="DropPages"/>, <see cref="QualityPages"/>,
/// <see cref="KpiPages"/>, <see cref="PageAssets"/>), hosted by <c>pipeline serve</c> (mapped with minimal APIs) and by the
/// Functions app (dispatched through <see cref="TryDispatchAsync"/>). This class does what every page shares: who is
/// signed in, CSRF on posts, the security headers (a CSP that allows no inline script), the layout, and an audit row
/// per request (who, which route, the status, how many rows).
/// </summary>
public sealed class PipelinePages
{
    private readonly PageAuth _auth;
    private readonly AuditLog _audit;
    private readonly TimeProvider _clock;
    private readonly ILogger<PipelinePages> _logger;
    private readonly string _contentSecurityPolicy;
    private readonly IReadOnlyList<(PageEndpoint Endpoint, TemplateMatcher Matcher)> _matchers;

    public PipelinePages(PageAuth auth, AuditLog audit, TimeProvider clock, ILogger<PipelinePages> logger, PipelineStorage storage,
        SignInPages signIn, ProviderPages provider, DropPages drops, QualityPages quality, KpiPages kpis, PageAssets assets)
    {
        (_auth, _audit, _clock, _logger) = (auth, audit, clock, logger);
        Endpoints = [.. assets.Endpoints, .. signIn.Endpoints, .. provider.Endpoints, .. drops.Endpoints, .. quality.Endpoints,
            .. kpis.Endpoints];
        // The upload page's script sends the file straight to Blob storage, so that origin (and only it) is allowed to connect.
        var blobs = storage.Blobs.Uri;
        _contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
            $"connect-src 'self' {blobs.Scheme}://{blobs.Authority}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        _matchers =
            Endpoints.Select(e => (e, new TemplateMatcher(TemplateParser.Parse(e.Route.TrimStart('/')), new RouteValueDictionary())))
            .ToList();
    }

    public IReadOnlyList<PageEndpoint> Endpoints { get; }

    public string ContentSecurityPolicy => _contentSecurityPolicy;

    /// <summary>The Functions host's one HTTP entry point: a page if one matches, otherwise the JSON API.</summary>
    public async Task DispatchAsync(HttpContext http, PipelineApi api, CancellationToken cancellationToken)
    {
        if (!await TryDispatchAsync(http, cancellationToken)) await api.DispatchAsync(http, cancellationToken);
    }

    /// <summary>The Functions host: handles the request if a page route matches it; false leaves it to the API.</summary>
    public async Task<bool> TryDispatchAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.Path.StartsWithSegments("/api")) return false;
        foreach (var (endpoint, matcher) in _matchers)
        {
            var values = new RouteValueDictionary();
            if (!string.Equals(http.Request.Method, endpoint.Method, StringComparison.OrdinalIgnoreCase)
                || !matcher.TryMatch(http.Request.Path, values)) continue;
            await HandleAsync(http, endpoint, values, cancellationToken);
            return true;
        }
        return false;
    }

    public async Task HandleAsync(HttpContext http, PageEndpoint endpoint, RouteValueDictionary values, CancellationToken cancellationToken)
    {
        if (!endpoint.Audited)
        {
            // Static files: nobody to identify, nothing to audit.
            await WriteAsync(http, await endpoint.Handle(new PageRequest(http, null, values, ""), cancellationToken), null, "",
                cancellationToken);
            return;
        }
        var caller = await _auth.CallerAsync(http.Request, cancellationToken);
        var csrf = PageAuth.CsrfToken(http);
        PageResult result;
        if (endpoint.Access == PageAccess.SignedIn && caller is null)
            result = IsScript(http) ? PageResult.JsonOf(new { error = "Sign in again." }, 401)
                : PageResult.Redirect(PageRoutes.SignIn + "?returnUrl=" + Html.Url(http.Request.Path + http.Request.QueryString));
        else if (HttpMethods.IsPost(http.Request.Method) && !PageAuth.IsSameOriginPost(http.Request, http.Request.HasFormContentType
            ? (await http.Request.ReadFormAsync(cancellationToken))[PageAuth.CsrfField].ToString() : null))
            result = IsScript(http)
                ? PageResult.JsonOf(new { error = "This request did not come from this service's pages. Reload the page and try again." },
                403)
                : PageResult.Error(403, "There is a problem",
                    "This form did not come from this service's pages, or it was open too long. Go back, reload the page and try again.");
        else
            result = await endpoint.Handle(new PageRequest(http, caller, values, csrf), cancellationToken);

        {
            var now = _clock.GetUtcNow();
            await _audit.AppendAsync(new AuditEntry($"pages|{now.UtcDateTime:yyyy-MM-dd}",
                $"{now.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}-{endpoint.Name}-{Guid.NewGuid():N}",
                caller?.Subject ?? "anonymous", $"{endpoint.Method} {endpoint.Route}", null, result.Rows, now,
                    $"{result.Status} {http.Request.Path}"), cancellationToken);
            _logger.LogInformation("Page {Route} answered {Status} with {Rows} rows", endpoint.Route, result.Status, result.Rows);
        }
        await WriteAsync(http, result, caller, csrf, cancellationToken);
    }

    private static bool IsScript(HttpContext http) =>
        http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    private async Task WriteAsync(HttpContext http, PageResult result, ApiCaller? caller, string csrf, CancellationToken cancellationToken)
    {
        var response = http.Response;
        response.StatusCode = result.Status;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        if (response.Headers.CacheControl.Count == 0) response.Headers.CacheControl = "no-store";
        if (result.Location is { } location)
        {
            response.Headers.Location = location;
            return;
        }
        if (result.Json is { } json)
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(JsonSerializer.Serialize(json, json.GetType(), ApiJson.Options), cancellationToken);
            return;
        }
        if (result.Write is { } write)
        {
            response.ContentType = result.ContentType ?? "application/octet-stream";
            if (result.FileName is { } name) response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
            await write(response.Body, cancellationToken);
            return;
        }
        response.ContentType = "text/html; charset=utf-8";
        if (result.Document is { } document)
        {
            response.Headers.ContentSecurityPolicy = result.DocumentPolicy ?? _contentSecurityPolicy;
            await response.WriteAsync(document, cancellationToken);
            return;
        }
        response.Headers.ContentSecurityPolicy = _contentSecurityPolicy;
        await response.WriteAsync(PageLayout.Render(result, caller, csrf, http.Request.Path.Value ?? "/", _auth.Development is not null),
            cancellationToken);
    }
}
