using System.Reflection;
using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Cli.Local;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Tests.Deployment;

/// <summary>
/// functions/ is not built on these machines (its packages are not reachable), so its sources are read as text:
/// every entry point the library names has a function there, bound with the library's constants, each one call.
/// The required names come from the library by reflection, so a new constant without a function fails here.
/// </summary>
public sealed partial class FunctionCoverageTests
{
    private static readonly string FunctionsFolder = Path.Combine(RepositoryPaths.Root, "functions");

    private static readonly Lazy<string> Sources = new(() => string.Join("\n",
        Directory.GetFiles(FunctionsFolder, "*.cs", SearchOption.TopDirectoryOnly).Order().Select(File.ReadAllText)));

    private static IEnumerable<string> FunctionNames => Constants(typeof(Triggers)).Where(f => f.Name.EndsWith("Function", StringComparison.Ordinal)).Select(f => f.Name);

    private static IEnumerable<string> BlobPathNames => Constants(typeof(Triggers)).Where(f => f.Name.EndsWith("Path", StringComparison.Ordinal)).Select(f => f.Name);

    /// <summary>Every queue something listens on: the work queues and the poison queues the runtime fills.</summary>
    private static IEnumerable<string> QueueNames => StorageNames.Queues.Concat(StorageNames.PoisonQueues)
        .Select(queue => Constants(typeof(StorageNames)).Single(f => (string?)f.GetRawConstantValue() == queue).Name);

    public static TheoryData<string> FunctionConstants() => new(FunctionNames);
    public static TheoryData<string> BlobPathConstants() => new(BlobPathNames);
    public static TheoryData<string> QueueConstants() => new(QueueNames);

    [Fact]
    public void The_library_names_the_entry_points()
    {
        // Guards the reflection below: if it found nothing, every theory would pass vacuously.
        Assert.Contains(nameof(Triggers.IngestDropFunction), FunctionNames);
        Assert.Contains(nameof(Triggers.ComputeKpisFunction), FunctionNames);
        Assert.Contains(nameof(Triggers.IngestDropPoisonFunction), FunctionNames);
        Assert.Contains(nameof(Triggers.DropBlobPath), BlobPathNames);
        Assert.Contains(nameof(StorageNames.KpiRecomputeQueue), QueueNames);
        Assert.Contains(nameof(StorageNames.BlobTriggerPoisonQueue), QueueNames);
    }

    [Theory]
    [MemberData(nameof(FunctionConstants))]
    public void Every_function_name_constant_has_a_function(string constant) =>
        Assert.True(FunctionAttributes().Contains($"Triggers.{constant}"),
            $"No [Function(Triggers.{constant})] in functions/*.cs; found: {string.Join(", ", FunctionAttributes())}");

    [Theory]
    [MemberData(nameof(BlobPathConstants))]
    public void Every_blob_path_constant_has_a_blob_trigger(string constant) =>
        Assert.Matches($@"\[BlobTrigger\(\s*Triggers\.{constant}\b[^\]]*Source\s*=\s*BlobTriggerSource\.EventGrid", Sources.Value);

    [Theory]
    [MemberData(nameof(QueueConstants))]
    public void Every_queue_has_a_queue_trigger_on_the_data_connection(string constant) =>
        Assert.Matches($@"\[QueueTrigger\(\s*StorageNames\.{constant}\s*,\s*Connection\s*=\s*Triggers\.{nameof(Triggers.DataStorageConnection)}\s*\)\]", Sources.Value);

    [Fact]
    public void Every_function_is_one_call_into_the_library()
    {
        foreach (var file in Directory.GetFiles(FunctionsFolder, "*.cs").Where(f => File.ReadAllText(f).Contains("[Function(", StringComparison.Ordinal)))
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

    private static HashSet<string> FunctionAttributes() =>
        FunctionAttribute().Matches(Sources.Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<FieldInfo> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f is { IsLiteral: true, IsInitOnly: false } && f.FieldType == typeof(string));

    [GeneratedRegex(@"\[Function\(\s*([\w.]+)\s*\)\]")]
    private static partial Regex FunctionAttribute();
}
