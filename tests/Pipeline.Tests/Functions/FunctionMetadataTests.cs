using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using YouthJustice.Pipeline.Api;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Functions;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Tests.Functions;

/// <summary>
/// The app as the Functions host indexes it. The build writes functions.metadata (read by the host when worker indexing
/// is off) and the Worker SDK's source generator compiles the same into the worker (<c>GeneratedFunctionMetadataProvider</c>,
/// returned to the host at start-up): both must name exactly the library's entry points, each with the trigger, path,
/// queue, schedule expression, route and connection the library's constants give, so the deployed triggers and the local
/// runner cannot drift apart.
/// </summary>
public sealed partial class FunctionMetadataTests
{
    private static readonly string Connection = Triggers.DataStorageConnection;

    /// <summary>What the host must see for each function: its trigger binding, as the library's constants spell it.</summary>
    public static readonly IReadOnlyDictionary<string, JsonObject> Expected = new Dictionary<string, JsonObject>
    {
        [Triggers.IngestDropFunction] = new() { ["type"] = "blobTrigger", ["path"] = Triggers.DropBlobPath, ["source"] = "EventGrid",
            ["connection"] = Connection },
        [Triggers.ComputeKpisFunction] = new() { ["type"] = "queueTrigger", ["queueName"] = StorageNames.KpiRecomputeQueue,
            ["connection"] = Connection },
        [Triggers.ComputeKpisPoisonFunction] = new() { ["type"] = "queueTrigger", ["queueName"] = StorageNames.KpiRecomputePoisonQueue,
            ["connection"] = Connection },
        [Triggers.IngestDropPoisonFunction] = new() { ["type"] = "queueTrigger", ["queueName"] = StorageNames.BlobTriggerPoisonQueue,
            ["connection"] = Connection },
        [Triggers.SubmitKpiReturnsFunction] = new() { ["type"] = "timerTrigger", ["schedule"] = Triggers.QuarterlyReturnsTimer },
        [Triggers.ApplyRetentionFunction] = new() { ["type"] = "timerTrigger", ["schedule"] = Triggers.RetentionTimer },
        [Triggers.QueryApiFunction] = new() { ["type"] = "httpTrigger", ["authLevel"] = "Anonymous",
            ["methods"] = new JsonArray("get", "post"), ["route"] = ApiRoutes.FunctionRoute },
    };

    /// <summary>functions.metadata as the build wrote it (it travels with the app assembly into this test's output).</summary>
    public static JsonArray MetadataFile()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"No {path}: the Worker SDK writes it when functions/ builds.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    /// <summary>The worker-indexed metadata: what the source-generated provider compiled into the app returns to the host.</summary>
    public static async Task<IReadOnlyList<(string Name, string EntryPoint, string ScriptFile, IReadOnlyList<JsonObject> Bindings)>>
        GeneratedMetadataAsync()
    {
        var functions = await new GeneratedFunctionMetadataProvider().GetFunctionMetadataAsync(AppContext.BaseDirectory);
        return functions.Select(f => (f.Name!, f.EntryPoint!, f.ScriptFile!,
            (IReadOnlyList<JsonObject>)f.RawBindings!.Select(b => JsonNode.Parse(b)!.AsObject()).ToList())).ToList();
    }

    /// <summary>The trigger binding of each function in functions.metadata, by function name.</summary>
    public static Dictionary<string, JsonObject> FileTriggers() => MetadataFile().Select(f => f!.AsObject())
        .ToDictionary(f => (string)f["name"]!, f => Trigger(f["bindings"]!.AsArray().Select(b => b!.AsObject())));

    private static JsonObject Trigger(IEnumerable<JsonObject> bindings) =>
        Assert.Single(bindings, b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal) && (string?)b["direction"] == "In");

    [Fact]
    public void The_library_names_seven_entry_points_and_each_is_expected_here()
    {
        // Reflection over Triggers: a new *Function constant without an entry in Expected (and so without a function) fails.
        var names = typeof(Triggers).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.Name.EndsWith("Function", StringComparison.Ordinal))
                .Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(names.Order(), Expected.Keys.Order());
        Assert.Equal(7, Expected.Count);
    }

    [Fact]
    public void Functions_metadata_names_exactly_the_expected_functions_and_triggers()
    {
        var triggers = FileTriggers();
        Assert.Equal(Expected.Keys.Order(), triggers.Keys.Order());
        foreach (var (name, expected) in Expected)
            AssertBinding(name, expected, triggers[name]);
    }

    [Fact]
    public async Task The_worker_indexed_metadata_equals_functions_metadata()
    {
        var generated = await GeneratedMetadataAsync();
        var file = MetadataFile().Select(f => f!.AsObject()).ToDictionary(f => (string)f["name"]!);
        Assert.Equal(file.Keys.Order(), generated.Select(g => g.Name).Order());
        foreach (var (name, entryPoint, scriptFile, bindings) in generated)
        {
            Assert.Equal((string?)file[name]["entryPoint"], entryPoint);
            Assert.Equal((string?)file[name]["scriptFile"], scriptFile);
            Assert.Equal(typeof(FunctionsApp).Assembly.GetName().Name + ".dll", scriptFile);
            AssertBinding(name, Expected[name], Trigger(bindings));
        }
    }

    [Fact]
    public void Every_queue_the_library_uses_or_the_runtime_fills_has_a_queue_trigger_on_the_data_connection()
    {
        var queues = FileTriggers().Values.Where(t => (string?)t["type"] == "queueTrigger").ToList();
        Assert.All(queues, q => Assert.Equal(Connection, (string?)q["connection"]));
        Assert.Equal(StorageNames.Queues.Concat(StorageNames.PoisonQueues).Order(), queues.Select(q => (string)q["queueName"]!).Order());
    }

    [Fact]
    public void Each_entry_point_is_a_method_of_its_own_class_taking_what_the_trigger_binds()
    {
        var assembly = typeof(FunctionsApp).Assembly;
        foreach (var function in MetadataFile().Select(f => f!.AsObject()))
        {
            var entryPoint = (string)function["entryPoint"]!;
            var type = assembly.GetType(entryPoint[..entryPoint.LastIndexOf('.')], throwOnError: true)!;
            var method = type.GetMethod(entryPoint[(entryPoint.LastIndexOf('.') + 1)..])!;
            Assert.Equal((string)function["name"]!, method.GetCustomAttribute<FunctionAttribute>()?.Name);
            Assert.Equal(typeof(CancellationToken), method.GetParameters()[^1].ParameterType);
        }
        // The drop is bound as a client, so the library streams it and the worker never buffers a file.
        Assert.Equal(typeof(Azure.Storage.Blobs.BlobClient), typeof(IngestDrop).GetMethod(nameof(IngestDrop.RunAsync))!.GetParameters()[0]
            .ParameterType);
        Assert.Equal("True", (string?)FileTriggers()[Triggers.IngestDropFunction]["properties"]?["supportsDeferredBinding"]);
    }

    [Fact]
    public void The_api_function_catches_every_library_route_under_the_hosts_route_prefix()
    {
        // The host serves an HTTP function at /{routePrefix}/{route}; host.json may change the prefix ("api" by default; empty
        // here, so the same function serves the pages at "/" and the API under "/api/").
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!;
        var prefix = (string?)host["extensions"]?["http"]?["routePrefix"] ?? "api";
        Assert.Equal("{*path}", (string?)FileTriggers()[Triggers.QueryApiFunction]["route"]);
        var routes = typeof(ApiRoutes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(ApiRoutes.FunctionRoute)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.NotEmpty(routes);
        Assert.All(routes, route => Assert.StartsWith(prefix.Length == 0 ? "/" : $"/{prefix}/", route));
    }

    [Fact]
    public void Every_function_is_one_call_into_the_library()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "functions"), "*.cs")
            .Where(f => File.ReadAllText(f).Contains("[Function(", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            // Expression-bodied, no awaits, no branches: the attribute's method is `=> libraryObject.Method(...)`.
            Assert.Matches(@"CancellationToken cancellationToken\)\s*=>\s*\w+\.\w+\(", text);
            Assert.DoesNotMatch(@"\bawait\b|\bif\s*\(|\btry\b", text);
            Assert.Single(FunctionAttribute().Matches(text));
        }
    }

    [Fact]
    public void The_event_grid_subscription_script_targets_the_blob_trigger_and_the_drops_container()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "scripts", "subscribe-drops.sh"));
        Assert.Contains($"function_name=\"{Triggers.IngestDropFunction}\"", script);
        Assert.Contains($"container=\"{StorageNames.DropsContainer}\"", script);
        Assert.Contains("Host.Functions.$function_name", script);
        Assert.Contains("/blobServices/default/containers/$container/blobs/", script);
    }

    /// <summary>Every expected property equal (names compared case-insensitively, as the host reads them).</summary>
    private static void AssertBinding(string function, JsonObject expected, JsonObject actual)
    {
        var byName = actual.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in expected)
        {
            Assert.True(byName.TryGetValue(key, out var found), $"{function}: no '{key}' in {actual.ToJsonString()}");
            var equal = CaseInsensitive.Contains(key) ? JsonNode.DeepEquals(Lower(value), Lower(found)) : JsonNode.DeepEquals(value, found);
            Assert.True(equal, $"{function}: '{key}' is {found?.ToJsonString()}, expected {value?.ToJsonString()}");
        }
    }

    /// <summary>Enum-like values ("EventGrid", "Anonymous", "get") are case-insensitive to the host; paths, names and routes are
    /// not.</summary>
    private static readonly HashSet<string> CaseInsensitive = new(["source", "authLevel", "methods"], StringComparer.OrdinalIgnoreCase);

    private static JsonNode? Lower(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(s.ToLowerInvariant()),
        JsonArray a => new JsonArray(a.Select(Lower).ToArray()),
        _ => node?.DeepClone(),
    };

    [GeneratedRegex(@"\[Function\(\s*([\w.]+)\s*\)\]")]
    private static partial Regex FunctionAttribute();
}
