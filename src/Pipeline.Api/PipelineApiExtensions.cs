using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Api.Pages;
using YouthJustice.Pipeline.Api.Resources;

namespace YouthJustice.Pipeline.Api;

public static class PipelineApiExtensions
{
    /// <summary>One handler class per resource of the API; a new resource is a class implementing <see cref="IApiResource"/> added
    /// here.</summary>
    public static IReadOnlyList<Type> Resources { get; } =
        [typeof(KpiResource), typeof(KpiChildrenResource), typeof(DropResource), typeof(ReceiptResource), typeof(ReturnResource),
            typeof(BoardPackResource)];

    /// <summary>The API's handlers and token validation, configured from the <c>Api</c> section (see <see
    /// cref="ApiAuthOptions"/>).</summary>
    public static IServiceCollection AddPipelineApi(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new ApiAuthOptions();
        configuration.GetSection(ApiAuthOptions.SectionName).Bind(options);
        services.AddPipelinePages(configuration);
        return services.AddPipelineApi(options);
    }

    public static IServiceCollection AddPipelineApi(this IServiceCollection services, ApiAuthOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (string.Equals(options.Mode, ApiAuthOptions.EntraIdMode, StringComparison.OrdinalIgnoreCase))
            services.AddSingleton<IApiTokenValidator>(new EntraIdTokenValidator(options));
        else
            services.AddSingleton<IApiTokenValidator>(sp => new DevelopmentTokens(options, sp.GetRequiredService<TimeProvider>()));
        // The resources in the order the OpenAPI document lists them.
        foreach (var resource in Resources) services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IApiResource), resource));
        services.TryAddSingleton<ApiRequestChecks>();
        services.TryAddSingleton<ApiRequestAudit>();
        services.AddSingleton<PipelineApi>();
        // The pages share the API's sign-in mode (development tokens locally, Entra ID in Azure) and are served beside it.
        services.AddPipelinePages();
        return services;
    }

    /// <summary>Maps every API route to its handler (the local host; the Functions app dispatches through <see
    /// cref="PipelineApi.DispatchAsync"/>).</summary>
    public static IEndpointRouteBuilder MapPipelineApi(this IEndpointRouteBuilder app)
    {
        var api = app.ServiceProvider.GetRequiredService<PipelineApi>();
        foreach (var endpoint in api.Endpoints)
            app.MapGet(endpoint.Route, (RequestDelegate)(http =>
                api.HandleAsync(http, endpoint, http.Request.RouteValues, http.RequestAborted))).WithName(endpoint.Name);
        return app;
    }
}
