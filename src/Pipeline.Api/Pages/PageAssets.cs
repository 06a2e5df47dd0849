using System.Collections.Frozen;
using System.Security.Cryptography;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// <c>/assets/…</c>: GOV.UK Frontend's CSS, JavaScript, fonts and images (embedded at build time from the version
/// package-lock.json pins, never committed) and the pages' own stylesheet and module script. Served from the app's own
/// origin, so the CSP can allow 'self' and nothing else.
/// </summary>
public sealed class PageAssets
{
    private const string Prefix = "assets/";

    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".woff2"] = "font/woff2",
        [".woff"] = "font/woff",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, (byte[] Content, string ETag)> _files;

    public PageAssets()
    {
        var assembly = typeof(PageAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            files[name[Prefix.Length..]] = (bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Names => _files.Keys;

    public IEnumerable<PageEndpoint> Endpoints =>
    [
        new("Asset", "GET", PageRoutes.Assets, PageAccess.Anyone, ServeAsync, Audited: false),
    ];

    private Task<PageResult> ServeAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var path = request.Route("path");
        if (!_files.TryGetValue(path, out var file) || !Types.TryGetValue(Path.GetExtension(path), out var type))
            return Task.FromResult(PageResult.NotFound("No such file."));
        var headers = request.Http.Response.Headers;
        headers.ETag = file.ETag;
        headers.CacheControl = "public, max-age=3600";
        if (request.Http.Request.Headers.IfNoneMatch.ToString() == file.ETag) return Task.FromResult(
            new PageResult { Status = 304, Write = (_, _) => Task.CompletedTask });
        return Task.FromResult(new PageResult { ContentType = type, Write = (s, ct) => s.WriteAsync(file.Content, ct).AsTask() });
    }
}
