namespace YouthJustice.Pipeline.Api.Auth;

/// <summary>
/// How bearer tokens are validated (configuration section <c>Api</c>, app settings <c>Api__…</c>).
/// <list type="bullet">
/// <item><c>Mode = Development</c> (local): HS256 tokens from the development issuer (<c>pipeline token</c>), signed
/// with <see cref="SigningKey"/> (base64, kept in .pipeline/dev-api-signing.key by the local runner).</item>
/// <item><c>Mode = EntraId</c> (Azure): RS256 tokens from Entra ID, keys from the tenant's OpenID metadata at
/// <see cref="Authority"/> (e.g. https://login.microsoftonline.com/{tenant}/v2.0), audience = the API app
/// registration's client id or application id URI. Roles are the app registration's app roles (analyst, board, yjb,
/// provider) in the <c>roles</c> claim; <c>yot</c> and <c>provider</c> are optional claims mapped from directory
/// extension attributes of the user or service principal.</item>
/// </list>
/// </summary>
public sealed class ApiAuthOptions
{
    public const string SectionName = "Api";
    public const string DevelopmentMode = "Development";
    public const string EntraIdMode = "EntraId";
    public const string DevelopmentIssuer = "pipeline-local-dev";
    public const string DefaultAudience = "pipeline-api";

    public string Mode { get; set; } = DevelopmentMode;
    public string Issuer { get; set; } = DevelopmentIssuer;
    public string Audience { get; set; } = DefaultAudience;
    public string? SigningKey { get; set; }
    public string? Authority { get; set; }
}
