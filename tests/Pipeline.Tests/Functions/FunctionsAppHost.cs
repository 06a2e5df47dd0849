using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Converters;
using Microsoft.Azure.Functions.Worker.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Functions;

namespace YouthJustice.Pipeline.Tests.Functions;

/// <summary>
/// The Functions worker built as <c>functions/Program.cs</c> builds it (<see cref="FunctionsApp.Configure"/>), from a set of
/// app settings, without the Functions host in front of it (Core Tools cannot run here). Function classes are created by
/// the worker's own <see cref="IFunctionActivator"/>, and blob trigger parameters by the blob extension's own converter,
/// so what a test calls is what the worker would call. Every setting the app reads from its configuration is recorded.
/// </summary>
public sealed class FunctionsAppHost : IDisposable
{
    private readonly IHost _host;
    private readonly RecordingConfigurationProvider _settings;
    private readonly List<IServiceScope> _scopes = [];

    private FunctionsAppHost(IHost host, RecordingConfigurationProvider settings) => (_host, _settings) = (host, settings);

    public IServiceProvider Services => _host.Services;

    /// <summary>Every configuration key (or section) the app has asked the settings for so far, with ':' separators.</summary>
    public IReadOnlyCollection<string> SettingsRead => _settings.Reads.Keys.ToList();

    /// <param name="appSettings">App settings as the platform passes them (environment style: <c>Section__Key</c>).</param>
    /// <param name="clock">The app's clock, for timers run "at" a moved time.</param>
    /// <param name="logs">Where the app's log lines go (the privacy scan reads them).</param>
    public static FunctionsAppHost Build(IReadOnlyDictionary<string, string?> appSettings, TimeProvider? clock = null,
        ConcurrentQueue<string>? logs = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        var source =
            new RecordingConfigurationSource(appSettings.ToDictionary(s =>
            s.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), s => s.Value));
        ((IConfigurationBuilder)builder.Configuration).Add(source);
        if (clock is not null) builder.Services.AddSingleton(clock);
        if (logs is not null) builder.Logging.AddProvider(new Infrastructure.CapturingLoggerProvider(logs));

        // The worker runs the extensions' startup code of its entry assembly (the app); under the test runner the entry
        // assembly is the runner's, so run the app's generated startup executor the same way the worker would.
        var startup = typeof(FunctionsApp).Assembly.GetCustomAttribute<WorkerExtensionStartupCodeExecutorInfoAttribute>()
            ?? throw new InvalidOperationException(
                "functions/ has no generated extension startup executor: is the Worker SDK's source generator running?");
        ((WorkerExtensionStartup)Activator.CreateInstance(startup.StartupCodeExecutorType)!).Configure(builder);

        FunctionsApp.Configure(builder);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true }));
        return new FunctionsAppHost(builder.Build(), source.Provider!);
    }

    /// <summary>The settings a developer copies from functions/local.settings.example.json, with the placeholders filled in.</summary>
    public static Dictionary<string, string?> LocalSettingsExample(IReadOnlyDictionary<string, string> replacements)
    {
        using var document =
            JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "functions", "local.settings.example.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(
            p => p.Name,
            p => (string?)replacements.Aggregate(p.Value.GetString()!, (value, r) =>
                value.Replace(r.Key, r.Value, StringComparison.Ordinal)),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>An instance of a function class, created as the worker creates one for an invocation (a new scope each time).</summary>
    public object Activate(Type functionClass)
    {
        var scope = _host.Services.CreateScope();
        _scopes.Add(scope);
        return _host.Services.GetRequiredService<IFunctionActivator>()
            .CreateInstance(functionClass, new ActivationContext(scope.ServiceProvider))
            ?? throw new InvalidOperationException($"The worker's activator returned nothing for {functionClass.Name}.");
    }

    public T Activate<T>() => (T)Activate(typeof(T));

    /// <summary>
    /// The <see cref="BlobClient"/> the blob extension's converter binds for a blob trigger, from the binding data the host
    /// sends for a deferred binding (connection name, container, blob name).
    /// </summary>
    public async Task<BlobClient> BindBlobTriggerAsync(string connection, string container, string blobName)
    {
        var converterType = typeof(BlobTriggerAttribute).GetCustomAttribute<InputConverterAttribute>()!.ConverterType;
        var converter = (IInputConverter)ActivatorUtilities.CreateInstance(_host.Services, converterType);
        var content = BinaryData.FromObjectAsJson(new { Connection = connection, ContainerName = container, BlobName = blobName });
        var result =
            await converter.ConvertAsync(new BindingContext(typeof(BlobClient), new BlobBindingData(content),
            new ActivationContext(_host.Services)));
        if (result.Status != ConversionStatus.Succeeded)
            throw new InvalidOperationException($"The blob extension could not bind {container}/{blobName}: {result.Status}", result.Error);
        return (BlobClient)result.Value!;
    }

    public void Dispose()
    {
        foreach (var scope in _scopes) scope.Dispose();
        _host.Dispose();
    }

    private sealed class ActivationContext(IServiceProvider services) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString();
        public override string FunctionId => throw new NotSupportedException();
        public override TraceContext TraceContext => throw new NotSupportedException();
        public override Microsoft.Azure.Functions.Worker.BindingContext BindingContext => throw new NotSupportedException();
        public override RetryContext RetryContext => throw new NotSupportedException();
        public override IServiceProvider InstanceServices { get; set; } = services;
        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();
        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class BindingContext(Type targetType, object source, FunctionContext functionContext) : ConverterContext
    {
        public override Type TargetType => targetType;
        public override object? Source => source;
        public override FunctionContext FunctionContext => functionContext;
        public override IReadOnlyDictionary<string, object> Properties { get; } = new Dictionary<string, object>();
    }

    /// <summary>What the host sends the worker for a blob trigger with deferred binding (source "AzureStorageBlobs", JSON).</summary>
    private sealed class BlobBindingData(BinaryData content) : ModelBindingData
    {
        public override string Version => "1.0";
        public override string Source => "AzureStorageBlobs";
        public override BinaryData Content => content;
        public override string ContentType => "application/json";
    }
}

/// <summary>In-memory settings that remember which keys and sections were asked for.</summary>
internal sealed class RecordingConfigurationSource(IDictionary<string, string?> data) : IConfigurationSource
{
    public RecordingConfigurationProvider? Provider { get; private set; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider = new RecordingConfigurationProvider(data);
}

internal sealed class RecordingConfigurationProvider : ConfigurationProvider
{
    public RecordingConfigurationProvider(IDictionary<string, string?> data)
    {
        foreach (var (key, value) in data) Data[key] = value;
    }

    public ConcurrentDictionary<string, bool> Reads { get; } = new(StringComparer.OrdinalIgnoreCase);

    public override bool TryGet(string key, out string? value)
    {
        Reads.TryAdd(key, true);
        return base.TryGet(key, out value);
    }

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        if (parentPath is not null) Reads.TryAdd(parentPath, true);
        return base.GetChildKeys(earlierKeys, parentPath);
    }
}
