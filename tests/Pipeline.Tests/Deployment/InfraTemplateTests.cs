using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Tests.Deployment;

/// <summary>
/// The security-relevant settings of infra/, read from the ARM JSON the Bicep CLI compiles (what Azure would be
/// sent), and the storage layout checked against the library's names so the two cannot drift apart.
/// </summary>
public sealed partial class InfraTemplateTests(CompiledInfra infra) : IClassFixture<CompiledInfra>
{
    // Built-in role definition ids (the same in every tenant).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [Fact]
    public void Bicep_builds_without_diagnostics()
    {
        Assert.True(infra.BuildExitCode == 0 && infra.BuildDiagnostics.Length == 0,
            $"bicep build infra/main.bicep exited {infra.BuildExitCode}:\n{infra.BuildDiagnostics}");
        Assert.NotEmpty(infra.Resources);
    }

    [Fact]
    public void Bicep_lint_reports_nothing()
    {
        // bicep lint exits 0 on warnings, so any output at all is a failure.
        Assert.True(infra.LintExitCode == 0 && infra.LintDiagnostics.Length == 0,
            $"bicep lint exited {infra.LintExitCode}:\n{infra.LintDiagnostics}");
    }

    [Fact]
    public void Both_storage_accounts_refuse_shared_keys_plain_http_old_tls_and_public_blobs()
    {
        var accounts = Of("Microsoft.Storage/storageAccounts");
        Assert.Equal(2, accounts.Count); // the host's and the data account
        foreach (var account in accounts)
        {
            var p = account.Properties!;
            Assert.False(Bool(p["allowSharedKeyAccess"]), $"{account.Name}: allowSharedKeyAccess");
            Assert.Equal("TLS1_2", (string?)p["minimumTlsVersion"]);
            Assert.True(Bool(p["supportsHttpsTrafficOnly"]), $"{account.Name}: supportsHttpsTrafficOnly");
            Assert.False(Bool(p["allowBlobPublicAccess"]), $"{account.Name}: allowBlobPublicAccess");
        }
        Assert.All(Of("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", (string?)c.Properties?["publicAccess"]));
    }

    [Fact]
    public void Function_app_is_flex_consumption_https_only_tls_1_2_without_ftp_or_basic_publishing()
    {
        var plan = Assert.Single(Of("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", (string?)plan.Json["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan.Json["sku"]?["tier"]);

        var site = Assert.Single(Of("Microsoft.Web/sites"));
        var p = site.Properties!;
        Assert.True(Bool(p["httpsOnly"]), "httpsOnly");
        Assert.Equal("1.2", (string?)p["siteConfig"]?["minTlsVersion"]);
        Assert.Equal("1.2", (string?)p["siteConfig"]?["scmMinTlsVersion"]);
        Assert.Equal("Disabled", (string?)p["siteConfig"]?["ftpsState"]);
        Assert.Equal("UserAssigned", (string?)site.Json["identity"]?["type"]);

        var config = p["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]?["version"]);
        Assert.Equal("blobContainer", (string?)config["deployment"]?["storage"]?["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]?["storage"]?["authentication"]?["type"]);
        Assert.NotNull(config["scaleAndConcurrency"]?["maximumInstanceCount"]);

        var policies = Of("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(2, policies.Count); // ftp and scm
        Assert.All(policies, policy => Assert.False(Bool(policy.Properties?["allow"]), policy.Name));
    }

    [Fact]
    public void App_settings_are_identity_based_and_read_the_key_from_key_vault()
    {
        var settings = Assert.Single(Of("Microsoft.Web/sites/config"), c =>
            ((string?)c.Name)!.Contains("appsettings", StringComparison.Ordinal))
            .Properties!.AsObject();
        var data = Triggers.DataStorageConnection;

        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        Assert.NotNull(settings["AzureWebJobsStorage__accountName"]);
        Assert.NotNull(settings["AzureWebJobsStorage__clientId"]);
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "a plain AzureWebJobsStorage would be a connection string");
        Assert.Equal("managedidentity", (string?)settings[$"{data}__credential"]);
        foreach (var service in new[] { "blob", "queue", "table" })
            Assert.NotNull(settings[$"{StorageOptions.SectionName}__{service}ServiceUri"]);
        Assert.NotNull(settings[$"{data}__clientId"]);
        Assert.NotNull(settings["AZURE_CLIENT_ID"]);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", (string?)settings["Pseudonymisation__Key"]);
        Assert.NotNull(settings["Pseudonymisation__KeyVersion"]);
        Assert.Contains("Authorization=AAD", (string?)settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.NotNull(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.DoesNotContain(settings, s => s.Value?.ToJsonString().Contains("AccountKey", StringComparison.OrdinalIgnoreCase) == true);

        // The timer schedules are app settings with these defaults in main.bicep.
        Assert.Equal("[parameters('quarterlyReturnsSchedule')]", (string?)settings["Schedules__QuarterlyReturns"]);
        Assert.Equal("[parameters('retentionSchedule')]", (string?)settings["Schedules__Retention"]);
        Assert.Equal("0 0 6 1 1,4,7,10 *", (string?)infra.Template["parameters"]?["quarterlyReturnsSchedule"]?["defaultValue"]);
        Assert.Equal("0 0 2 * * *", (string?)infra.Template["parameters"]?["retentionSchedule"]?["defaultValue"]);
    }

    [Fact]
    public void Key_vault_is_rbac_only_with_soft_delete_and_purge_protection()
    {
        var vault = Assert.Single(Of("Microsoft.KeyVault/vaults"));
        var p = vault.Properties!;
        Assert.True(Bool(p["enableRbacAuthorization"]), "enableRbacAuthorization");
        Assert.True(Bool(p["enableSoftDelete"]), "enableSoftDelete");
        Assert.True(Bool(p["enablePurgeProtection"]), "enablePurgeProtection");
        Assert.Null(p["accessPolicies"]);

        // The key is created only when it does not exist yet, so a redeployment never changes the pseudonyms.
        var secret = Assert.Single(Of("Microsoft.KeyVault/vaults/secrets"));
        Assert.Equal("[not(parameters('pseudonymisationKeyExists'))]", (string?)secret.Json["condition"]);
    }

    [Fact]
    public void Application_insights_accepts_only_entra_id_authenticated_telemetry()
    {
        var component = Assert.Single(Of("Microsoft.Insights/components"));
        Assert.True(Bool(component.Properties?["DisableLocalAuth"]), "DisableLocalAuth");
    }

    [Fact]
    public void The_function_identity_gets_exactly_the_narrow_roles_it_needs_on_each_resource()
    {
        var granted = Of("Microsoft.Authorization/roleAssignments").Select(a =>
        {
            var p = a.Properties!;
            Assert.Equal("ServicePrincipal", (string?)p["principalType"]);
            Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string?)p["principalId"]);
            var scope = (string?)a.Json["scope"]
                ?? throw new Xunit.Sdk.XunitException($"{a.Name}: no scope, so it would apply to the whole resource group");
            var role = Guid().Match((string)p["roleDefinitionId"]!).Value;
            return $"{Target(a, scope)} {role}";
        }).Order().ToList();

        string[] expected =
        [
            $"host-storage {StorageBlobDataOwner}",
            $"host-storage {StorageQueueDataContributor}",
            $"data-storage {StorageBlobDataContributor}",
            $"data-storage {StorageQueueDataContributor}",
            $"data-storage {StorageTableDataContributor}",
            $"key-vault-secret {KeyVaultSecretsUser}",
            $"application-insights {MonitoringMetricsPublisher}",
        ];
        Assert.Equal(expected.Order(), granted);
    }

    [Fact]
    public void Providers_upload_role_can_only_write_blobs()
    {
        var role = Assert.Single(Of("Microsoft.Authorization/roleDefinitions"));
        var permissions = Assert.Single(role.Properties!["permissions"]!.AsArray())!;
        Assert.Empty(permissions["actions"]!.AsArray());
        Assert.Equal(
            ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"],
            Strings(permissions["dataActions"]).Order());
    }

    [Fact]
    public void Data_containers_tables_and_queues_are_the_library_s()
    {
        var template = DataTemplate();
        var variables = template["variables"]!;
        Assert.Equal(StorageNames.Containers.Order(), Strings(variables["containers"]).Order());
        Assert.Equal(StorageNames.Tables.Order(), Strings(variables["tables"]).Order());
        Assert.Equal(StorageNames.Queues.Concat(StorageNames.PoisonQueues).Order(), Strings(variables["queues"]).Order());

        // …and those lists are what the loops create.
        Assert.Equal("[length(variables('containers'))]", CopyCount(template, "Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal("[length(variables('tables'))]", CopyCount(template, "Microsoft.Storage/storageAccounts/tableServices/tables"));
        Assert.Equal("[length(variables('queues'))]", CopyCount(template, "Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Fact]
    public void Browsers_may_send_drops_to_the_data_account_only_from_the_pages_own_origin_and_only_by_PUT()
    {
        var service = Assert.Single(Of("Microsoft.Storage/storageAccounts/blobServices"), s => s.Properties?["cors"] is not null);
        var rule = Assert.Single(service.Properties!["cors"]!["corsRules"]!.AsArray())!;
        Assert.Equal(["PUT", "OPTIONS"], Strings(rule["allowedMethods"]));
        Assert.Equal("[parameters('origins')]", (string?)rule["allowedOrigins"]);

        // The origins are the deployed app's own host name and the custom domains given: never a wildcard.
        var deployment = Assert.Single(Of("Microsoft.Resources/deployments"), d =>
            d.Name.Contains("data-storage-cors", StringComparison.Ordinal));
        var origins = (string?)deployment.Properties!["parameters"]!["origins"]!["value"];
        Assert.Contains("defaultHostName", origins);
        Assert.Contains("parameters('pagesCustomOrigins')", origins);
        Assert.DoesNotContain("*", origins);
    }

    [Fact]
    public void Lifecycle_rules_delete_old_drops_and_quarantine()
    {
        var policy = Assert.Single(Of("Microsoft.Storage/storageAccounts/managementPolicies"));
        Assert.Same(DataTemplate(), policy.Template);
        var rules = policy.Properties!["policy"]!["rules"]!.AsArray().Select(r => r!).ToList();
        foreach (var (container, parameter) in new[] { (StorageNames.DropsContainer, "dropsRetentionDays"),
            (StorageNames.QuarantineContainer, "quarantineRetentionDays") })
        {
            var rule = Assert.Single(rules, r => Strings(r["definition"]?["filters"]?["prefixMatch"]).SequenceEqual([container + "/"]));
            Assert.True(Bool(rule["enabled"]), $"{container} rule enabled");
            Assert.Equal($"[parameters('{parameter}')]",
                (string?)rule["definition"]?["actions"]?["baseBlob"]?["delete"]?["daysAfterModificationGreaterThan"]);
            var days = infra.Template["parameters"]?[parameter]?["defaultValue"]?.GetValue<int>();
            Assert.True(days is >= 1 and <= 90, $"{parameter} default {days}");
        }
    }

    [Fact]
    public void Blob_created_events_of_the_data_account_have_a_system_topic()
    {
        var topic = Assert.Single(Of("Microsoft.EventGrid/systemTopics"));
        Assert.Same(DataTemplate(), topic.Template);
        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)topic.Properties?["topicType"]);
        Assert.Contains("Microsoft.Storage/storageAccounts", (string?)topic.Properties?["source"]);
    }

    private List<ArmResource> Of(string type) => infra.Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase))
        .ToList();

    /// <summary>The module template holding the data account: the one that declares the containers.</summary>
    private JsonObject DataTemplate() =>
        Assert.Single(Of("Microsoft.Storage/storageAccounts/blobServices/containers"), c =>
            c.Template["variables"]?["containers"] is not null).Template;

    private string Target(ArmResource assignment, string scope) => ResourceType().Match(scope).Groups[1].Value switch
    {
        "Microsoft.Storage/storageAccounts" => ReferenceEquals(assignment.Template, DataTemplate()) ? "data-storage" : "host-storage",
        "Microsoft.KeyVault/vaults/secrets" => "key-vault-secret",
        "Microsoft.KeyVault/vaults" => "key-vault",
        "Microsoft.Insights/components" => "application-insights",
        var other => other,
    };

    private static string? CopyCount(JsonObject template, string type) =>
        (string?)Walk(template).Single(r => (string?)r["type"] == type)["copy"]?["count"];

    private static IEnumerable<JsonObject> Walk(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject map => map.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>A literal boolean; an expression (which could evaluate to anything) fails the test.</summary>
    private static bool Bool(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var b) ? b
            : throw new Xunit.Sdk.XunitException($"expected a literal boolean, got {node?.ToJsonString() ?? "nothing"}");

    private static IEnumerable<string> Strings(JsonNode? node) => node?.AsArray().Select(n => (string)n!) ?? [];

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"resourceId\('([^']+)'")]
    private static partial Regex ResourceType();
}
