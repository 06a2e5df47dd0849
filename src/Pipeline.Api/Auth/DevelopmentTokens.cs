using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace YouthJustice.Pipeline.Api.Auth;

/// <summary>What a development token says about its holder.</summary>
public sealed record ApiTokenRequest(string Role, string? Yot = null, string? Provider = null, string? Subject = null);

/// <summary>
/// The local development issuer: HS256 tokens signed with a key that never leaves .pipeline/. For the local runner
/// and tests only; in Azure tokens come from Entra ID (<see cref="EntraIdTokenValidator"/>).
/// </summary>
public sealed class DevelopmentTokens(ApiAuthOptions options, TimeProvider clock) : IApiTokenValidator
{
    private readonly SymmetricSecurityKey _key = new(Convert.FromBase64String(options.SigningKey
        ?? throw new InvalidOperationException(
            $"No {ApiAuthOptions.SectionName}:SigningKey configured for the development token issuer.")));

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <param name="issuedAt">When the token starts; tests pass a moved clock for expired tokens.</param>
    public string Issue(ApiTokenRequest request, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object>
        {
            [ApiClaims.Subject] = request.Subject ?? $"dev-{request.Role}-{request.Yot ?? request.Provider ?? "all"}",
            [ApiClaims.Roles] = new[] { request.Role },
        };
        if (request.Yot is not null) claims[ApiClaims.Yot] = request.Yot;
        if (request.Provider is not null) claims[ApiClaims.Provider] = request.Provider;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    public async Task<ClaimsIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromMinutes(1),
            RequireExpirationTime = true,
            LifetimeValidator = (notBefore, expires, _, p) =>
                expires is { } e && clock.GetUtcNow().UtcDateTime <= e + p.ClockSkew
                    && (notBefore is not { } nb || nb - p.ClockSkew <= clock.GetUtcNow().UtcDateTime),
            NameClaimType = ApiClaims.Subject,
            RoleClaimType = ApiClaims.Roles,
        });
        return result.IsValid ? result.ClaimsIdentity : null;
    }
}
