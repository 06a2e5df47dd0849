using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Functions;

/// <summary>
/// Everything <c>Program.cs</c> registers, in one place, so the tests build the worker with exactly the app's own
/// registrations (and resolve every function class from them) rather than with a copy that could drift.
/// Configuration comes from app settings, all set by infra/modules/function-app.bicep:
/// <list type="bullet">
/// <item><c>DataStorage__blobServiceUri</c> / <c>__queueServiceUri</c> / <c>__tableServiceUri</c> (+ <c>__credential</c>,
/// <c>__clientId</c> for the triggers), identity-based: the same "DataStorage" connection feeds the triggers and the
/// library, whose DefaultAzureCredential finds the user-assigned identity through <c>AZURE_CLIENT_ID</c>.</item>
/// <item><c>Pseudonymisation__Key</c> (a Key Vault reference in Azure), <c>Pseudonymisation__KeyVersion</c>.</item>
/// <item><c>Api__Mode</c>, <c>Api__Authority</c>, <c>Api__Audience</c>: the analysts' API validates Entra ID tokens.</item>
/// <item><c>Schedules__QuarterlyReturns</c>, <c>Schedules__Retention</c>: the timers' NCRONTAB expressions.</item>
/// <item><c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (Entra ID ingestion).</item>
/// </list>
/// </summary>
public static class FunctionsApp
{
    public static FunctionsApplicationBuilder Configure(FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();

        // Application Insights accepts only Entra ID-authenticated telemetry (local auth is off in the Bicep): both the
        // host and, through ConfigureFunctionsApplicationInsights, the worker authenticate with the identity named in
        // APPLICATIONINSIGHTS_AUTHENTICATION_STRING.
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();

        // The Application Insights SDK adds a rule that forwards only Warning and above from the worker;
        // remove it so the levels in host.json/app settings decide. The library never logs row contents.
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var applicationInsightsDefault = options.Rules.FirstOrDefault(rule => string.Equals(
                rule.ProviderName,
                "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider",
                StringComparison.Ordinal));
            if (applicationInsightsDefault is not null)
                options.Rules.Remove(applicationInsightsDefault);
        });

        builder.Services.AddPipeline(builder.Configuration);

        // The analysts' API (QueryApi): Api__Mode=EntraId, Api__Authority, Api__Audience in Azure (see ApiAuthOptions).
        builder.Services.AddPipelineApi(builder.Configuration);

        // Locally (func start over Azurite) "DataStorage" may be a plain connection string, which is what the triggers
        // read; give the library the same string so one setting serves both. In Azure it has no value (only the
        // *ServiceUri children), so this changes nothing there.
        builder.Services.AddOptions<StorageOptions>()
            .PostConfigure<IConfiguration>((options, configuration) =>
                options.ConnectionString ??= configuration[Triggers.DataStorageConnection]);

        return builder;
    }
}
