using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Api.Pages;

public static class PipelinePagesExtensions
{
    /// <summary>The pages and what they need, configured from the <c>Pages</c> section (see <see cref="PagesOptions"/>).</summary>
    public static IServiceCollection AddPipelinePages(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<PagesOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(PagesOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PageAuth>();
        services.TryAddSingleton<UploadLinks>();
        services.TryAddSingleton<PageAssets>();
        services.TryAddSingleton<SignInPages>();
        services.TryAddSingleton<ProviderPages>();
        services.TryAddSingleton<DropPages>();
        services.TryAddSingleton<QualityPages>();
        services.TryAddSingleton<KpiPages>();
        services.TryAddSingleton<PipelinePages>();
        return services;
    }

    /// <summary>Maps every page route to its handler (the local host; the Functions app dispatches through <see
    /// cref="PipelinePages.TryDispatchAsync"/>).</summary>
    public static IEndpointRouteBuilder MapPipelinePages(this IEndpointRouteBuilder app)
    {
        var pages = app.ServiceProvider.GetRequiredService<PipelinePages>();
        foreach (var endpoint in pages.Endpoints)
            app.MapMethods(endpoint.Route, [endpoint.Method],
                (RequestDelegate)(http => pages.HandleAsync(http, endpoint, http.Request.RouteValues, http.RequestAborted)))
                .WithName("Page" + endpoint.Name + endpoint.Method);
        return app;
    }

    /// <summary>
    /// Lets the upload page's script PUT blocks straight to Blob storage from <paramref name="origins"/>: the service
    /// answers a browser's preflight only when a CORS rule allows the page's origin. The local runner sets it on its
    /// Azurite at start; in Azure the deployment sets the same rule on the data account (infra/modules/data-storage-cors.bicep). Replaces
    /// the account's CORS rules.
    /// </summary>
    public static async Task AllowBrowserUploadsAsync(this PipelineStorage storage, IEnumerable<string> origins,
        CancellationToken cancellationToken)
    {
        // Read, change the CORS rules only, write back: the other service properties (logging, metrics, retention) stay as they are.
        BlobServiceProperties properties = await storage.Blobs.GetPropertiesAsync(cancellationToken);
        properties.Cors =
        [
            new BlobCorsRule
            {
                AllowedOrigins = string.Join(",", origins),
                AllowedMethods = "PUT,OPTIONS",
                AllowedHeaders = "content-type,x-ms-blob-type,x-ms-blob-content-type,x-ms-version,x-ms-date,x-ms-client-request-id",
                ExposedHeaders = "etag,x-ms-request-id",
                MaxAgeInSeconds = 600,
            },
        ];
        await storage.Blobs.SetPropertiesAsync(properties, cancellationToken);
    }
}
