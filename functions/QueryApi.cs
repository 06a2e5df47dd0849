using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Pages;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// The analysts' API in Azure (ASP.NET Core integration): one anonymous-level HTTP function catching every path, dispatched through the
/// same handlers <c>pipeline serve</c> maps (routes in
/// <see cref="ApiRoutes"/>). Authorisation is the handlers' own: Entra ID bearer tokens (Api__Mode=EntraId,
/// Api__Authority, Api__Audience), roles and YOT/provider claims; every request is audited.
/// The pages (<see cref="PipelinePages"/>) are dispatched first: host.json's route prefix is empty, so this function
/// also catches "/" and every page path; paths under /api/ go to the API.
/// </summary>
public sealed class QueryApi(PipelineApi api, PipelinePages pages)
{
    [Function(Triggers.QueryApiFunction)]
    public Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ApiRoutes.FunctionRoute)] HttpRequest request,
        CancellationToken cancellationToken) => pages.DispatchAsync(request.HttpContext, api, cancellationToken);
}
