using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Cli.Local;

/// <summary>
/// The pipeline's stages hosted locally: over the configured storage if there is one
/// (<c>DataStorage__ConnectionString</c>), otherwise over an Azurite this process starts and stops.
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

    /// <param name="inMemory">Azurite keeps nothing on disk (tests); otherwise it keeps state under .pipeline/azurite.</param>
    /// <param name="overrides">Settings that win over the environment, e.g. a test's key or clock.</param>
    public static async Task<LocalPipeline> StartAsync(bool inMemory, IDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configure = null, LogLevel logLevel = LogLevel.Warning, CancellationToken cancellationToken = default)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>()).Build();
        var settings = new Dictionary<string, string?>();
        AzuriteProcess? azurite = null;
        if (string.IsNullOrEmpty(configuration[$"{StorageOptions.SectionName}:ConnectionString"]) && string.IsNullOrEmpty(configuration[$"{StorageOptions.SectionName}:BlobServiceUri"]))
        {
            azurite = await AzuriteProcess.StartAsync(inMemory ? null : Path.Combine(RepositoryPaths.State, "azurite"), cancellationToken);
            settings[$"{StorageOptions.SectionName}:ConnectionString"] = azurite.ConnectionString;
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

    /// <summary>
    /// The local development key, generated once and kept in the git-ignored state folder so pseudonyms stay
    /// stable between commands. Never printed.
    /// </summary>
    private static string DevelopmentKey()
    {
        var path = Path.Combine(RepositoryPaths.State, "dev-pseudonymisation.key");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(RepositoryPaths.State);
        var key = Pseudonymiser.NewKey();
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}
