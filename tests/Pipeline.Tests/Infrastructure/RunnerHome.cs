using System.Diagnostics;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>
/// A checkout of its own for running the built <c>pipeline</c> as real processes, as a user would: PIPELINE_HOME at a
/// temporary folder (its state folder, its shared Azurite) whose node_modules is the repository's. Stops its Azurite
/// and deletes the folder when done.
/// </summary>
public sealed class RunnerHome : IAsyncDisposable
{
    private RunnerHome(string root) => Root = root;

    public string Root { get; }
    public string State => Path.Combine(Root, ".pipeline");

    public static RunnerHome Create()
    {
        var root = Directory.CreateTempSubdirectory("pipeline-home-").FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "node_modules"), Path.Combine(RepositoryPaths.Root, "node_modules"));
        return new RunnerHome(root);
    }

    /// <summary>Starts <c>pipeline ARGS</c> with this home; settings in <paramref name="environment"/> win (null removes one).</summary>
    public Process Start(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipeline.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // The runner must find its storage and key the way a user's shell gives them: not from the test's environment.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DataStorage__", StringComparison.Ordinal)
            || k.StartsWith("Pseudonymisation__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["PIPELINE_HOME"] = Root;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the runner.");
    }

    public async Task<Run> RunAsync(params string[] args) => await RunAsync(null, args);

    public async Task<Run> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        await Run.CompleteAsync(Start(environment, args));

    /// <summary>The state folder's shared storage, seen from the test (started if it is not running).</summary>
    public async Task<PipelineStorage> StorageAsync()
    {
        var storage = PipelineStorage.Create(
            new StorageOptions { ConnectionString = (await SharedAzurite.EnsureRunningAsync(State, default)).ConnectionString });
        await storage.EnsureCreatedAsync(default);
        return storage;
    }

    public async ValueTask DisposeAsync()
    {
        await SharedAzurite.StopAsync(State, default);
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>A finished runner process: its exit code and what it printed.</summary>
    public sealed record Run(int ExitCode, string Output, string Error)
    {
        public static async Task<Run> CompleteAsync(Process process)
        {
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                return new Run(process.ExitCode, await output, await error);
            }
        }

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }
}
