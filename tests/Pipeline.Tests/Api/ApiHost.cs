using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Api.Resources;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Api;

/// <summary>
/// The analysts' API hosted in-process (TestServer) over the fixture's Azurite, twice: as <c>pipeline serve</c> maps it
/// (minimal APIs) and as the Functions app's catch-all function dispatches it, with a development issuer of its own.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _mapped;
    private readonly WebApplication _dispatched;

    private ApiHost(WebApplication mapped, WebApplication dispatched, PipelineApi api, DevelopmentTokens tokens)
    {
        (_mapped, _dispatched, Api, Tokens) = (mapped, dispatched, api, tokens);
        Client = mapped.GetTestClient();
        FunctionsClient = dispatched.GetTestClient();
    }

    public PipelineApi Api { get; }
    public DevelopmentTokens Tokens { get; }

    /// <summary>The API as <c>pipeline serve</c> hosts it.</summary>
    public HttpClient Client { get; }

    /// <summary>The API as the Functions HTTP function hosts it (every path through <see cref="PipelineApi.DispatchAsync"/>).</summary>
    public HttpClient FunctionsClient { get; }

    public static async Task<ApiHost> StartAsync(PipelineFixture fixture)
    {
        var options = new ApiAuthOptions { SigningKey = DevelopmentTokens.NewKey() };
        var tokens = new DevelopmentTokens(options, TimeProvider.System);
        var p = fixture.Pipeline;
        var resources = PipelineApiExtensions.Resources.Select(t => (IApiResource)ActivatorUtilities.CreateInstance(p.Services, t))
            .ToList();
        var api = new PipelineApi(resources, tokens, ActivatorUtilities.CreateInstance<ApiRequestChecks>(p.Services),
            ActivatorUtilities.CreateInstance<ApiRequestAudit>(p.Services, NullLogger<ApiRequestAudit>.Instance),
                NullLogger<PipelineApi>.Instance);

        var mapped = Build(api);
        mapped.MapPipelineApi();
        var dispatched = Build(api);
        dispatched.Run(http => api.DispatchAsync(http, http.RequestAborted));
        await mapped.StartAsync();
        await dispatched.StartAsync();
        return new ApiHost(mapped, dispatched, api, tokens);
    }

    private static WebApplication Build(PipelineApi api)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(api);
        return builder.Build();
    }

    public string Token(ApiTokenRequest request) => Tokens.Issue(request, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public static HttpRequestMessage Get(string path, string? token)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        FunctionsClient.Dispose();
        await _mapped.DisposeAsync();
        await _dispatched.DisposeAsync();
    }
}
