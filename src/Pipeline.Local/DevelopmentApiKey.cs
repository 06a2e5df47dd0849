using YouthJustice.Pipeline.Api.Auth;

namespace YouthJustice.Pipeline.Local;

/// <summary>
/// The development token issuer's signing key (<c>pipeline token</c>, <c>pipeline serve</c>): generated once and kept in
/// the git-ignored state folder beside the development pseudonymisation key. Never printed. Azure uses Entra ID instead.
/// </summary>
public static class DevelopmentApiKey
{
    public static string Path => System.IO.Path.Combine(RepositoryPaths.State, "dev-api-signing.key");

    public static string GetOrCreate() => StateFolder.GetOrCreateSecret(Path, DevelopmentTokens.NewKey);

    public static ApiAuthOptions Options() => new() { SigningKey = GetOrCreate() };
}
