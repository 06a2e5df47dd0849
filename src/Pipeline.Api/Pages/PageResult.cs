using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>A link in the breadcrumbs above a page's heading.</summary>
public sealed record Crumb(string Text, string Href);

/// <summary>What a page handler answers: a page in the layout, a redirect, JSON for the page scripts, a download, or a page of its
/// own.</summary>
public sealed record PageResult
{
    public int Status { get; init; } = 200;
    public string? Title { get; init; }
    public Markup Body { get; init; }
    public IReadOnlyList<Crumb> Crumbs { get; init; } = [];
    public string? Location { get; init; }
    public object? Json { get; init; }
    public string? ContentType { get; init; }
    public string? FileName { get; init; }
    public Func<Stream, CancellationToken, Task>? Write { get; init; }

    /// <summary>A complete page that brings its own Content-Security-Policy (the board pack).</summary>
    public string? Document { get; init; }
    public string? DocumentPolicy { get; init; }

    /// <summary>Rows shown, for the audit row.</summary>
    public long Rows { get; init; }

    public static PageResult View(string title, Markup body, long rows = 0, params Crumb[] crumbs) =>
        new() { Title = title, Body = body, Rows = rows, Crumbs = crumbs };

    public static PageResult Redirect(string location) => new() { Status = 303, Location = location };

    public static PageResult JsonOf(object body, int status = 200) => new() { Status = status, Json = body };

    public static PageResult Csv(string fileName, Func<TextWriter, CancellationToken, Task> write, long rows) => new()
    {
        ContentType = "text/csv; charset=utf-8",
        FileName = fileName,
        Rows = rows,
        Write = async (stream, ct) =>
        {
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 16 * 1024, leaveOpen: true);
            await write(writer, ct);
            await writer.FlushAsync(ct);
        },
    };

    public static PageResult Error(int status, string title, string message) =>
        new() { Status = status, Title = title,
            Body = Html.H($"<h1 class=\"govuk-heading-l\">{title}</h1><p class=\"govuk-body\">{message}</p>") };

    public static PageResult NotFound(string message) => Error(404, "Page not found", message);

    public static PageResult Forbidden(string message) => Error(403, "You cannot see this page", message);

    public static PageResult BadRequest(string message) => Error(400, "There is a problem", message);
}

/// <summary>Who may reach a page at all; finer checks (own YOT, own drops) are the handler's.</summary>
public enum PageAccess
{
    Anyone,
    SignedIn,
}

/// <summary>A page route and its handler.</summary>
public sealed record PageEndpoint(string Name, string Method, string Route, PageAccess Access,
    Func<PageRequest, CancellationToken, Task<PageResult>> Handle, bool Audited = true);

/// <summary>One request as a page handler sees it, whichever host received it.</summary>
public sealed record PageRequest(HttpContext Http, ApiCaller? Caller, RouteValueDictionary Values, string CsrfToken)
{
    public string Route(string name) => Values.TryGetValue(name, out var v) && v?.ToString() is { } s ? s
        : throw new InvalidOperationException($"Route value {name} missing.");

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v.ToString())
        ? v.ToString() : null;

    public ApiCaller SignedIn => Caller ?? throw new InvalidOperationException("Not signed in.");

    /// <summary>The hidden field every form posts back (checked by the host before the handler runs).</summary>
    public Markup CsrfField => Html.H($"<input type=\"hidden\" name=\"{PageAuth.CsrfField}\" value=\"{CsrfToken}\">");
}
