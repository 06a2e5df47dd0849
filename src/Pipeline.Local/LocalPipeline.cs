using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Local;

/// <summary>
/// The pipeline's stages hosted locally: over the configured storage if there is one
/// (<c>DataStorage__ConnectionString</c>), otherwise over the state folder's shared Azurite (started if need be, left
/// running for the next command), or for tests an in-memory Azurite of their own.
/// </summary>
public sealed class LocalPipeline : IAsyncDisposable
{
    private readonly AzuriteProcess? _azurite;
    private readonly ServiceProvider _services;

    private LocalPipeline(AzuriteProcess? azurite, ServiceProvider services)
    {
        _azurite = azurite;
        _services = services;
    }

    public IServiceProvider Services => _services;
    public PipelineStorage Storage => _services.GetRequiredService<PipelineStorage>();
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <param name="inMemory">An Azurite of this process's own that keeps nothing on disk (tests); otherwise the shared one on
    /// .pipeline/azurite.</param>
    /// <param name="overrides">Settings that win over the environment, e.g. a test's key or clock.</param>
    public static async Task<LocalPipeline> StartAsync(bool inMemory, IDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configure = null, LogLevel logLevel = LogLevel.Warning, CancellationToken cancellationToken = default)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>()).Build();
        var settings = new Dictionary<string, string?>();
        AzuriteProcess? azurite = null;
        if (string.IsNullOrEmpty(configuration[$"{StorageOptions.SectionName}:ConnectionString"])
            && string.IsNullOrEmpty(configuration[$"{StorageOptions.SectionName}:BlobServiceUri"]))
        {
            if (inMemory) azurite = await AzuriteProcess.StartInMemoryAsync(cancellationToken);
            settings[$"{StorageOptions.SectionName}:ConnectionString"] = azurite?.ConnectionString
                ?? (await SharedAzurite.EnsureRunningAsync(RepositoryPaths.State, cancellationToken)).ConnectionString;
        }
        // An emulator on loopback that does not answer has stopped: say so in about a second rather than after the
        // SDK's half-minute of back-off meant for a cloud account's passing faults. Explicit settings win.
        var connection = settings.GetValueOrDefault($"{StorageOptions.SectionName}:ConnectionString")
            ?? configuration[$"{StorageOptions.SectionName}:ConnectionString"];
        if (IsLoopback(connection) && string.IsNullOrEmpty(configuration[$"{StorageOptions.SectionName}:MaxRetries"]))
        {
            settings[$"{StorageOptions.SectionName}:MaxRetries"] = "2";
            settings[$"{StorageOptions.SectionName}:RetryDelay"] = "00:00:00.2";
            settings[$"{StorageOptions.SectionName}:NetworkTimeout"] = "00:00:30";
        }
        if (string.IsNullOrEmpty(configuration[$"{PseudonymisationOptions.SectionName}:Key"]))
            settings[$"{PseudonymisationOptions.SectionName}:Key"] = DevelopmentKey();

        var merged = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Azure", LogLevel.Warning).SetMinimumLevel(logLevel)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddPipeline(merged);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        var pipeline = new LocalPipeline(azurite, provider);
        try
        {
            await pipeline.Storage.EnsureCreatedAsync(cancellationToken);
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
        return pipeline;
    }

    private static bool IsLoopback(string? connectionString) =>
        connectionString is not null && (connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            || System.Text.RegularExpressions.Regex.IsMatch(connectionString, @"Endpoint=https?://(127\.[0-9.]+|localhost|\[::1\])[:/;]",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase));

    /// <summary>
    /// The local development key, generated once and kept in the git-ignored state folder so pseudonyms stay
    /// stable between commands. Never printed.
    /// </summary>
    private static string DevelopmentKey() =>
        StateFolder.GetOrCreateSecret(Path.Combine(RepositoryPaths.State, "dev-pseudonymisation.key"), Pseudonymiser.NewKey);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}
