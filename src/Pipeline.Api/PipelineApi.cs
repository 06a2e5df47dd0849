using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Api.Resources;

namespace YouthJustice.Pipeline.Api;

/// <summary>
/// The analysts' API: one routing table over one handler class per resource (<see cref="KpiResource"/>,
/// <see cref="KpiChildrenResource"/>, <see cref="DropResource"/>, <see cref="ReceiptResource"/>,
/// <see cref="ReturnResource"/>, <see cref="BoardPackResource"/>, <see cref="OpenApiResource"/>) for both hosts.
/// <c>pipeline serve</c> maps them with <see cref="PipelineApiExtensions.MapPipelineApi"/>; the Functions app's HTTP
/// function calls <see cref="DispatchAsync"/>. Every request is, in this order: authenticated (bearer token; without a
/// valid one, 401); checked (<see cref="ApiRequestChecks"/>: route values and quarters, 400; an unknown YOT, 404) before
/// any work is done or anything is stored; authorised by role and YOT/provider inside the handler; and audited whatever
/// the outcome (<see cref="ApiRequestAudit"/>), a handler that throws included (500). Never a raw identifier: paths
/// carry YOT, quarter, KPI and drop ids; child-level rows are pseudonyms.
/// </summary>
public sealed class PipelineApi
{
    private readonly IApiTokenValidator _tokens;
    private readonly ApiRequestChecks _checks;
    private readonly ApiRequestAudit _audit;
    private readonly ILogger<PipelineApi> _logger;
    private readonly IReadOnlyList<(ApiEndpoint Endpoint, TemplateMatcher Matcher)> _matchers;

    public PipelineApi(IEnumerable<IApiResource> resources, IApiTokenValidator tokens, ApiRequestChecks checks, ApiRequestAudit audit,
        ILogger<PipelineApi> logger)
    {
        (_tokens, _checks, _audit, _logger) = (tokens, checks, audit, logger);
        Endpoints = [.. resources.SelectMany(r => r.Endpoints), new OpenApiResource(() => Endpoints ?? []).Endpoint];
        _matchers =
            Endpoints.Select(e => (e, new TemplateMatcher(TemplateParser.Parse(e.Route.TrimStart('/')), new RouteValueDictionary())))
            .ToList();
    }

    public IReadOnlyList<ApiEndpoint> Endpoints { get; }

    /// <summary>The audit table's partition for API requests of one day: <c>api|yyyy-MM-dd</c>.</summary>
    public static string AuditSubject(DateTimeOffset at) => ApiRequestAudit.Subject(at);

    /// <summary>The Functions host: finds the endpoint whose route matches the path and handles it; 404 when none does.</summary>
    public async Task DispatchAsync(HttpContext http, CancellationToken cancellationToken)
    {
        foreach (var (endpoint, matcher) in _matchers)
        {
            var values = new RouteValueDictionary();
            if (!HttpMethods.IsGet(http.Request.Method) || !matcher.TryMatch(http.Request.Path, values)) continue;
            await HandleAsync(http, endpoint, values, cancellationToken);
            return;
        }
        await WriteAsync(http, ApiResult.NotFound("No such route; see " + ApiRoutes.OpenApi + "."), cancellationToken);
    }

    public async Task HandleAsync(HttpContext http, ApiEndpoint endpoint, RouteValueDictionary routeValues,
        CancellationToken cancellationToken)
    {
        ApiCaller? caller = null;
        var anonymous = "no-token";
        ApiResult result;
        try
        {
            (caller, anonymous) = await AuthenticateAsync(http.Request, cancellationToken);
            if (caller is null && !endpoint.Anonymous)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                result = ApiResult.Error(401, "A valid bearer token is required (pipeline token --role … locally; Entra ID in Azure).");
            }
            else
            {
                var request = new ApiRequest(caller,
                    routeValues.ToDictionary(v => v.Key, v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase),
                    http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase));
                result = await _checks.CheckAsync(request, cancellationToken) ?? await endpoint.Handle(request, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The type only: a message could quote a route value or stored content.
            _logger.LogError("API {Route} failed: {Error}", endpoint.Route, ex.GetType().Name);
            result = ApiResult.Error(500,
                "The request could not be answered. It has been recorded; try again later, or tell the pipeline's operators.");
        }

        result = await _audit.RecordAsync(caller, anonymous, endpoint, http.Request.Path.ToString(), result, cancellationToken);
        _logger.LogInformation("API {Route} answered {Status} with {Rows} rows", endpoint.Route, result.Status, result.Rows);
        await WriteAsync(http, result, cancellationToken);
    }

    /// <returns>The caller, or null and why: <c>no-token</c>, <c>invalid-token</c> (expired, wrongly signed, not a token).</returns>
    private async Task<(ApiCaller? Caller, string Reason)> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return (null, "no-token");
        var identity = await _tokens.ValidateAsync(header["Bearer ".Length..].Trim(), cancellationToken);
        return identity is null ? (null, "invalid-token") : (ApiCaller.From(identity), "");
    }

    private static async Task WriteAsync(HttpContext http, ApiResult result, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = result.Status;
        if (result.Html is { } html)
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            // The page needs nothing from anywhere: say so to the browser as well as in its own meta tag.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
            await http.Response.WriteAsync(html, cancellationToken);
            return;
        }
        if (result.Body is null) return;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(JsonSerializer.Serialize(result.Body, result.Body.GetType(), ApiJson.Options), cancellationToken);
    }
}
