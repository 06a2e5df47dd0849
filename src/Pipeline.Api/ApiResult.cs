namespace YouthJustice.Pipeline.Api;

/// <summary>What a handler answers: an HTTP status, a JSON body, and how many rows it returned (for the audit row).</summary>
public sealed record ApiResult(int Status, object? Body, long Rows = 0)
{
    /// <summary>A page to show as it is (the board pack), rather than a JSON body.</summary>
    public string? Html { get; init; }

    public static ApiResult Ok(object body, long rows) => new(200, body, rows);
    public static ApiResult Page(string html) => new(200, null, 1) { Html = html };
    public static ApiResult Error(int status, string message) => new(status, new { error = message });
    public static ApiResult Forbidden(string message) => Error(403, message);
    public static ApiResult NotFound(string message) => Error(404, message);
    public static ApiResult BadRequest(string message) => Error(400, message);
    public static ApiResult BadPeriod(string text) => BadRequest($"'{text}' is not a quarter; write it as YYYY-Qn, e.g. 2026-Q2.");
    public static ApiResult NotYourYot(string yot) => Forbidden($"Your token does not cover YOT '{yot}'.");
}

/// <summary>One request as the handlers see it, whichever host received it.</summary>
public sealed record ApiRequest(ApiCaller? Caller, IReadOnlyDictionary<string, string?> Route, IReadOnlyDictionary<string, string?> Query)
{
    public string Path(string name) => Route.TryGetValue(name, out var v) && v is not null ? v
        : throw new InvalidOperationException($"Route value {name} missing.");
    public string? Get(string name) => Query.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;
}

/// <summary>A route, its handler and what the OpenAPI document says about it.</summary>
public sealed record ApiEndpoint(
    string Name,
    string Route,
    string Summary,
    IReadOnlyList<string> Roles,
    IReadOnlyList<ApiQueryParameter> QueryParameters,
    Func<ApiRequest, CancellationToken, Task<ApiResult>> Handle,
    bool Anonymous = false);

public sealed record ApiQueryParameter(string Name, string Description, bool Required = false, string Type = "string");
