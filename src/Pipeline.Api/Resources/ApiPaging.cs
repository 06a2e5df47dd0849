using System.Text;

namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>The page size and continuation token of the resources that answer a page at a time.</summary>
public static class ApiPaging
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static IReadOnlyList<ApiQueryParameter> Parameters { get; } =
    [
        new("continuationToken", "The token of the previous page's answer; absent for the first page."),
        new("pageSize", $"Rows per page, 1–{MaxPageSize} (default {DefaultPageSize}).", Type: "integer"),
    ];

    /// <summary>The page size asked for, the default if none; null when it is not a whole number in range.</summary>
    public static int? PageSize(ApiRequest request) =>
        request.Get("pageSize") is not { } text ? DefaultPageSize : int.TryParse(text, out var n) && n is >= 1 and <= MaxPageSize ? n
            : null;

    public static ApiResult BadPageSize() => ApiResult.BadRequest($"'pageSize' must be a whole number from 1 to {MaxPageSize}.");

    /// <summary>A continuation token for a key of our own (URL-safe base64), so a client cannot mistake it for an id.</summary>
    public static string ToToken(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-')
        .Replace('/', '_');

    /// <summary>The key in a token <see cref="ToToken"/> gave out; null for one that is not base64.</summary>
    public static string? FromToken(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=')));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
