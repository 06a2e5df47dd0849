using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace YouthJustice.Pipeline.Api.Auth;

/// <summary>
/// Azure: RS256 access tokens issued by Entra ID for the API's app registration. Signing keys come from the tenant's
/// OpenID metadata (<c>{Authority}/.well-known/openid-configuration</c>), cached and refreshed by the configuration
/// manager. Not exercised by the local tests (no tenant here); the development issuer shares the claim contract.
/// </summary>
public sealed class EntraIdTokenValidator(ApiAuthOptions options) : IApiTokenValidator
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata = new(
        (options.Authority ?? throw new InvalidOperationException($"No {ApiAuthOptions.SectionName}:Authority configured for Entra ID."))
            .TrimEnd('/') + "/.well-known/openid-configuration",
        new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });

    public async Task<ClaimsIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ConfigurationManager = _metadata,
            ValidAudience = options.Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            NameClaimType = ApiClaims.Subject,
            RoleClaimType = ApiClaims.Roles,
        });
        return result.IsValid ? result.ClaimsIdentity : null;
    }
}
