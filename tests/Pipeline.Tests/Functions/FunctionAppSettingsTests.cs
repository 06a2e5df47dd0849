using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Functions;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Deployment;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Functions;

/// <summary>
/// The app's configuration in Azure is exactly the app settings infra/ gives it. Built from those settings alone (values
/// standing in for what Azure resolves: service URIs, the Key Vault reference), the worker must start and create every
/// function; every setting the app's own code reads must be one infra/ sets or one whose absence is safe (listed below
/// with the reason); and every setting the host reads for the triggers (schedule expressions, connections) must be set.
/// </summary>
public sealed partial class FunctionAppSettingsTests(CompiledInfra infra) : IClassFixture<CompiledInfra>
{
    /// <summary>Settings the app may read without infra/ setting them, and why leaving them unset is safe in Azure.</summary>
    private static readonly Dictionary<string, string> SafeDefaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DataStorage:ConnectionString"] = "empty in Azure: the service URIs and the managed identity are used instead",
        ["Api:Issuer"] = "the development issuer's name; not used in EntraId mode",
        ["Api:SigningKey"] = "the development issuer's key; not used in EntraId mode",
        ["Kpis"] =
            "populations per YOT and the headline choice: without a population the per-population rates are shown missing, never zero",
        ["DisclosureControl"] = "the small-number rule defaults to 1–4 withheld",
        ["DataStorage:MaxRetries"] =
            "unset in Azure: the Azure SDK's own retry policy applies (the short local retries are for a dead emulator)",
        ["DataStorage:RetryDelay"] = "unset in Azure: the Azure SDK's own retry policy applies",
        ["DataStorage:NetworkTimeout"] = "unset in Azure: the Azure SDK's own network timeout applies",
        ["Ingestion"] = "the claim lease defaults to 10 minutes, the Functions timeout: a drop's claim outlives any run of it; " +
            "the staging folder defaults to one under the instance's temporary folder",
        ["ApplicationInsights"] =
            "the Application Insights SDK's own section; it takes the connection string from APPLICATIONINSIGHTS_CONNECTION_STRING",
        ["APPINSIGHTS_INSTRUMENTATIONKEY"] = "superseded by APPLICATIONINSIGHTS_CONNECTION_STRING",
        ["APPINSIGHTS_ENDPOINTADDRESS"] = "superseded by APPLICATIONINSIGHTS_CONNECTION_STRING",
        ["APPINSIGHTS_DEVELOPER_MODE"] = "off unless set: telemetry is batched",
        ["version"] = "the application version Application Insights labels telemetry with; the assembly's otherwise",
    };

    /// <summary>The app settings of the compiled template (ARM), each with a stand-in for what Azure would resolve it to.</summary>
    private Dictionary<string, string?> InfraAppSettings()
    {
        var settings = Assert.Single(infra.Resources, r => r.Type == "Microsoft.Web/sites/config"
            && r.Name.Contains("appsettings", StringComparison.Ordinal))
            .Properties!.AsObject();
        return settings.ToDictionary(s => s.Key, s => (string?)StandIn(s.Key, (string)s.Value!), StringComparer.OrdinalIgnoreCase);
    }

    private string StandIn(string key, string armValue)
    {
        if (!armValue.StartsWith('[')) return armValue;
        if (ParameterReference().Match(armValue) is { Success: true } p
            && infra.Template["parameters"]?[p.Groups[1].Value]?["defaultValue"] is JsonValue literal
            && literal.TryGetValue<string>(out var value) && !value.StartsWith('['))
            return value; // a main.bicep parameter with a literal default, passed through by name (the schedules)
        return key switch
        {
            _ when key.EndsWith("ServiceUri", StringComparison.OrdinalIgnoreCase) =>
                $"https://stdata.{key[(key.LastIndexOf('_') + 1)..^"ServiceUri".Length].ToLowerInvariant()}.core.windows.net/",
            "Pseudonymisation__Key" => PipelineFixture.TestKey, // the platform resolves the Key Vault reference to the secret
            "Api__Authority" => "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0",
            "APPLICATIONINSIGHTS_CONNECTION_STRING" =>
                "InstrumentationKey=00000000-0000-0000-0000-000000000002;" +
                "IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/",
            // format('…{0}…', parameters('identityClientId')): the text with a client id in place of each argument
            _ when FormatExpression().Match(armValue) is { Success: true } f =>
                Regex.Replace(f.Groups[1].Value, @"\{\d+\}", AnIdentifier),
            _ => AnIdentifier,
        };
    }

    /// <summary>What the worker and ASP.NET Core read whatever the app registers (hosting, logging, Kestrel): not the app's
    /// settings.</summary>
    private static HashSet<string> FrameworkReads()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        var source = new RecordingConfigurationSource(new Dictionary<string, string?>());
        ((IConfigurationBuilder)builder.Configuration).Add(source);
        builder.ConfigureFunctionsWebApplication();
        using var host = builder.Build();
        return source.Provider!.Reads.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<Type> FunctionClasses() => FunctionMetadataTests.MetadataFile()
        .Select(f => (string)f!["entryPoint"]!).Select(e => typeof(FunctionsApp)
            .Assembly.GetType(e[..e.LastIndexOf('.')], throwOnError: true)!).Distinct();

    [Fact]
    public void On_the_settings_infra_gives_it_the_app_starts_creates_every_function_and_validates_entra_id_tokens()
    {
        using var app = FunctionsAppHost.Build(InfraAppSettings());
        foreach (var type in FunctionClasses())
            Assert.IsType(type, app.Activate(type));

        // Without Api__Mode=EntraId the API would fall back to the development issuer, which has no key in Azure.
        Assert.IsType<EntraIdTokenValidator>(app.Services.GetRequiredService<IApiTokenValidator>());
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Null(storage.ConnectionString);
        Assert.All(new[] { storage.BlobServiceUri, storage.QueueServiceUri, storage.TableServiceUri }, uri =>
            Assert.Equal("https", uri?.Scheme));
        Assert.False(string.IsNullOrEmpty(app.Services.GetRequiredService<IOptions<PseudonymisationOptions>>().Value.Key));
    }

    [Fact]
    public void Every_setting_the_app_reads_is_set_by_infra_or_safe_to_leave_unset()
    {
        var settings = InfraAppSettings();
        using var app = FunctionsAppHost.Build(settings);
        foreach (var type in FunctionClasses()) app.Activate(type);

        var set = settings.Keys.Select(k => k.Replace("__", ":", StringComparison.Ordinal)).ToList();
        var framework = FrameworkReads();
        var unset = app.SettingsRead.Where(read => !framework.Contains(read))
            .Where(read => !set.Any(s => s.Equals(read, StringComparison.OrdinalIgnoreCase)
                || s.StartsWith(read + ":", StringComparison.OrdinalIgnoreCase)))
            .Where(read => !SafeDefaults.Keys.Any(d => d.Equals(read, StringComparison.OrdinalIgnoreCase)
                || read.StartsWith(d + ":", StringComparison.OrdinalIgnoreCase)))
            .Order().ToList();
        Assert.True(unset.Count == 0,
            $"The app reads settings that infra/modules/function-app.bicep does not set: {string.Join(", ", unset)}");
        // Guards the recording: the app's own sections must have been read at all.
        Assert.Contains(app.SettingsRead, r => r.StartsWith("Pseudonymisation", StringComparison.Ordinal));
        Assert.Contains(app.SettingsRead, r => r.StartsWith(ApiAuthOptions.SectionName, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_setting_the_host_reads_for_the_triggers_is_set_by_infra()
    {
        var settings = InfraAppSettings();
        var triggers = FunctionMetadataTests.FileTriggers().Values.ToList();

        foreach (var schedule in triggers.Select(t => (string?)t["schedule"]).OfType<string>())
        {
            var setting = BindingExpression().Match(schedule).Groups[1].Value.Replace(":", "__", StringComparison.Ordinal);
            Assert.True(settings.TryGetValue(setting, out var cron), $"The timer's {schedule} has no app setting {setting}");
            // The host's timers are NCRONTAB with seconds; Cronos with seconds reads the same six fields.
            Assert.NotNull(CronExpression.Parse(cron!, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
        }

        // Identity-based connections: the service URI of every service the trigger uses, the credential and the identity.
        foreach (var group in triggers.Where(t => t["connection"] is not null).GroupBy(t => (string)t["connection"]!))
        {
            var connection = group.Key;
            Assert.Equal("managedidentity", settings.GetValueOrDefault($"{connection}__credential"));
            Assert.False(string.IsNullOrEmpty(settings.GetValueOrDefault($"{connection}__clientId")), $"{connection}__clientId");
            // A blob trigger also keeps its poison messages in the same account's queues.
            var services = group.SelectMany(t => (string)t["type"]! == "blobTrigger" ? new[] { "blob", "queue" } : ["queue"]).Distinct();
            foreach (var service in services)
                Assert.False(string.IsNullOrEmpty(settings.GetValueOrDefault($"{connection}__{service}ServiceUri")),
                    $"{connection}__{service}ServiceUri");
        }
        Assert.Equal("managedidentity", settings.GetValueOrDefault("AzureWebJobsStorage__credential"));
    }

    [Fact]
    public void The_apis_entra_id_settings_are_parameters_of_the_deployment()
    {
        var settings = Assert.Single(infra.Resources, r => r.Type == "Microsoft.Web/sites/config"
            && r.Name.Contains("appsettings", StringComparison.Ordinal)).Properties!;
        Assert.Equal(ApiAuthOptions.EntraIdMode, (string?)settings["Api__Mode"]);
        Assert.Equal("[parameters('apiAuthority')]", (string?)settings["Api__Authority"]);
        Assert.Equal("[parameters('apiAudience')]", (string?)settings["Api__Audience"]);

        var parameters = infra.Template["parameters"]!;
        Assert.Contains("tenant().tenantId", (string?)parameters["apiAuthority"]?["defaultValue"]);
        Assert.Contains("/v2.0", (string?)parameters["apiAuthority"]?["defaultValue"]);
        // No default: azd asks for it (or takes API_AUDIENCE), so an API that accepts no token cannot be deployed unnoticed.
        Assert.Null(parameters["apiAudience"]?["defaultValue"]);
        Assert.Equal(1, (int?)parameters["apiAudience"]?["minLength"]);
        var azdParameters = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "main.parameters.json")))!;
        Assert.Equal("${API_AUDIENCE}", (string?)azdParameters["parameters"]?["apiAudience"]?["value"]);
    }

    [Fact]
    public void The_app_roles_to_register_for_the_api_are_the_apis_roles()
    {
        var roles = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "api-app-roles.json")))!.AsArray();
        Assert.Equal(ApiRoles.All.Order(), roles.Select(r => (string)r!["value"]!).Order());
        Assert.Equal(roles.Count, roles.Select(r => Guid.Parse((string)r!["id"]!)).Distinct().Count());
    }

    [Fact]
    public void The_local_settings_example_sets_what_the_host_and_the_app_read_locally()
    {
        var example = FunctionsAppHost.LocalSettingsExample(new Dictionary<string, string>());
        Assert.Equal("dotnet-isolated", example["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", example["AzureWebJobsStorage"]);
        foreach (var trigger in FunctionMetadataTests.FileTriggers().Values)
        {
            if ((string?)trigger["connection"] is { } connection) Assert.Equal("UseDevelopmentStorage=true", example[connection]);
            if ((string?)trigger["schedule"] is { } schedule)
                Assert.True(example.ContainsKey(BindingExpression().Match(schedule).Groups[1]
                    .Value.Replace(":", "__", StringComparison.Ordinal)), schedule);
        }
        // The two secrets are placeholders, filled from the local runner's development keys (README, "Running the Functions host").
        Assert.Equal("<pseudonymisation key>", example["Pseudonymisation__Key"]);
        Assert.Equal("<api signing key>", example["Api__SigningKey"]);
        Assert.Equal(ApiAuthOptions.DevelopmentMode, example["Api__Mode"]);
    }

    [GeneratedRegex(@"^%([^%]+)%$")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[format\('([^']*)'")]
    private static partial Regex FormatExpression();

    private const string AnIdentifier = "00000000-0000-0000-0000-000000000003";
}
