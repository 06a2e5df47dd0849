namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>The API's OpenAPI 3 document, built from the routing table it is given, so it lists every route. No token needed.</summary>
public sealed class OpenApiResource
{
    public OpenApiResource(Func<IReadOnlyList<ApiEndpoint>> routes) =>
        Endpoint = new("GetOpenApi", ApiRoutes.OpenApi, "This API's OpenAPI 3 document.", [], [],
            (_, _) => Task.FromResult(ApiResult.Ok(OpenApiDocument.Build(routes()), 0)), Anonymous: true);

    public ApiEndpoint Endpoint { get; }
}
