using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// The analysts' API in Azure (ASP.NET Core integration): one anonymous-level HTTP function catching every path under
/// the host's "api" prefix, dispatched through the same handlers <c>pipeline serve</c> maps (routes in
/// <see cref="ApiRoutes"/>). Authorisation is the handlers' own: Entra ID bearer tokens (Api__Mode=EntraId,
/// Api__Authority, Api__Audience), roles and YOT/provider claims; every request is audited.
/// </summary>
public sealed class QueryApi(PipelineApi api)
{
    [Function(Triggers.QueryApiFunction)]
    public Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.FunctionRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        api.DispatchAsync(request.HttpContext, cancellationToken);
}
