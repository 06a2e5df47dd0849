using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Local;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline token --role analyst|board|yjb|provider [--yot ID] [--provider ID] [--hours 8]</c>: prints a bearer token
/// from the local development issuer for <c>pipeline serve</c>'s API. In Azure tokens come from Entra ID.
/// </summary>
public static class TokenCommand
{
    public static async Task<int> RunAsync(string role, string? yot, string? provider, double hours, TextWriter output, TextWriter error)
    {
        if (!ApiRoles.All.Contains(role))
        {
            await error.WriteLineAsync($"'{role}' is not a role; use one of {string.Join(", ", ApiRoles.All)}.");
            return ExitCodes.Usage;
        }
        if (role is ApiRoles.Analyst or ApiRoles.Board && string.IsNullOrEmpty(yot))
        {
            await error.WriteLineAsync($"A {role} token needs --yot (the YOT it belongs to).");
            return ExitCodes.Usage;
        }
        if (role == ApiRoles.Provider && string.IsNullOrEmpty(provider))
        {
            await error.WriteLineAsync("A provider token needs --provider (the provider's id).");
            return ExitCodes.Usage;
        }
        if (hours is <= 0 or > 24 * 31)
        {
            await error.WriteLineAsync("--hours must be more than 0 and at most 744.");
            return ExitCodes.Usage;
        }
        var tokens = new DevelopmentTokens(DevelopmentApiKey.Options(), TimeProvider.System);
        await output.WriteLineAsync(tokens.Issue(new ApiTokenRequest(role, yot, provider), TimeProvider.System.GetUtcNow(),
            TimeSpan.FromHours(hours)));
        return ExitCodes.Success;
    }
}
