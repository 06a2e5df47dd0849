using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Storage;

// Azure Functions isolated worker (Flex Consumption). Configuration comes from app settings:
//   DataStorage__blobServiceUri / DataStorage__queueServiceUri / DataStorage__tableServiceUri (+ __credential,
//     __clientId for the triggers) identity-based; the same "DataStorage" connection feeds the triggers and the
//     library, whose DefaultAzureCredential finds the user-assigned identity through AZURE_CLIENT_ID.
//   Pseudonymisation__Key (a Key Vault reference in Azure), Pseudonymisation__KeyVersion.
//   APPLICATIONINSIGHTS_CONNECTION_STRING, APPLICATIONINSIGHTS_AUTHENTICATION_STRING (Entra ID ingestion).
//   All set by infra/modules/function-app.bicep.
var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();

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

// Application Insights accepts only Entra ID-authenticated telemetry (local auth is off in the Bicep). The host
// reads APPLICATIONINSIGHTS_AUTHENTICATION_STRING itself; the worker's SDK needs the credential handed to it.
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]))
    builder.Services.Configure<TelemetryConfiguration>(telemetry => telemetry.SetAzureTokenCredential(new DefaultAzureCredential()));

builder.Services.AddPipeline(builder.Configuration);

// The analysts' API (functions/QueryApi.cs): Api__Mode=EntraId, Api__Authority, Api__Audience (see ApiAuthOptions).
builder.Services.AddPipelineApi(builder.Configuration);

// Locally (func start over Azurite) "DataStorage" may be a plain connection string, which is what the triggers
// read; give the library the same string so one setting serves both. In Azure it has no value (only the
// *ServiceUri children), so this changes nothing there.
builder.Services.AddOptions<StorageOptions>()
    .PostConfigure<IConfiguration>((options, configuration) =>
        options.ConnectionString ??= configuration[Triggers.DataStorageConnection]);

builder.Build().Run();
