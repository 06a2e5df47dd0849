using System.Security.Claims;

namespace YouthJustice.Pipeline.Api.Auth;

/// <summary>Checks a bearer token's signature, issuer, audience and lifetime. Null when the token is not valid.</summary>
public interface IApiTokenValidator
{
    Task<ClaimsIdentity?> ValidateAsync(string token, CancellationToken cancellationToken);
}
