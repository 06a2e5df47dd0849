using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace YouthJustice.Pipeline.Local;

/// <summary>
/// Azurite, the Azure Storage emulator, run from the repository's pinned npm package on free ports chosen by
/// the OS (other processes may hold 10000–10002), in memory, as a child of this process: one per test fixture.
/// The runner's commands share one persistent Azurite instead (<see cref="SharedAzurite"/>).
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    // Azurite's well-known development account; not a secret.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly (int Blob, int Queue, int Table) _ports;

    private AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _ports = (blobPort, queuePort, tablePort);
    }

    /// <summary>The development account's connection string.</summary>
    public string ConnectionString => ConnectionStringFor(Account, Key);

    /// <summary>An account named in the <c>AZURITE_ACCOUNTS</c> this process was started with.</summary>
    public string ConnectionStringFor(string account, string key) =>
        ConnectionStringFor(_ports.Blob, _ports.Queue, _ports.Table, account, key);

    internal static string ConnectionStringFor(int blobPort, int queuePort, int tablePort, string account = Account, string key = Key) =>
        $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{account};QueueEndpoint=http://127.0.0.1:{queuePort}/{account};" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/{account};";

    /// <summary>Azurite's command line after <c>node</c>: loopback only, OS-chosen ports, then <paramref name="storage"/>.</summary>
    internal static IReadOnlyList<string> Arguments(string script, params string[] storage) =>
    [
        script, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
        "--blobPort", "0", "--queuePort", "0", "--tablePort", "0", "--skipApiVersionCheck", "--disableTelemetry", "--loose", .. storage,
    ];

    /// <summary>Starts an in-memory Azurite that lives as long as the returned object (tests, benchmarks).</summary>
    public static Task<AzuriteProcess> StartInMemoryAsync(CancellationToken cancellationToken) =>
        StartInMemoryAsync(null, cancellationToken);

    /// <param name="environment">
    /// Variables for Azurite's process alone, e.g. <c>AZURITE_ACCOUNTS</c> ("name:key;name:key"), which replaces the
    /// development account with the accounts it names.
    /// </param>
    /// <param name="cancellationToken">Stops waiting for it to start.</param>
    public static async Task<AzuriteProcess> StartInMemoryAsync(IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken)
    {
        var script = await EnsureInstalledAsync(cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var a in Arguments(script, "--inMemoryPersistence", "--extentMemoryLimit", "4096")) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void OnLine(string? line)
        {
            if (line is null) return;
            output.Enqueue(line);
            var m = ListeningLine().Match(line);
            if (!m.Success) return;
            lock (ports)
            {
                ports[m.Groups["service"].Value] = int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (ports.Count == 3) ready.TrySetResult();
            }
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var first = await Task.WhenAny(ready.Task, process.WaitForExitAsync(timeout.Token), Task.Delay(Timeout.Infinite, timeout.Token));
        if (first != ready.Task)
        {
            Kill(process);
            throw new InvalidOperationException("Azurite did not start within 60 s. Its output:\n" + string.Join("\n", output));
        }
        return new AzuriteProcess(process, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    /// <summary>The Azurite script from node_modules, running <c>npm ci</c> first on a fresh clone.</summary>
    internal static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryPaths.Root;
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (File.Exists(script)) return script;
        var npm = new ProcessStartInfo("npm") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true,
            RedirectStandardError = true };
        foreach (var a in new[] { "ci", "--no-audit", "--no-fund" }) npm.ArgumentList.Add(a);
        using var p = Process.Start(npm) ?? throw new InvalidOperationException("Could not run npm to install Azurite.");
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.StandardOutput.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        if (p.ExitCode != 0 || !File.Exists(script))
            throw new InvalidOperationException($"npm ci failed ({p.ExitCode}); Azurite is not installed:\n{await stderr}");
        return script;
    }

    public async ValueTask DisposeAsync()
    {
        // Azurite writes its metadata (LokiJS) on a timer and on SIGTERM: killing it outright would lose the
        // last seconds of a persistent store, so ask it to stop first.
        if (!_process.HasExited && !OperatingSystem.IsWindows() && SendSignal(_process.Id, SigTerm) == 0)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // Fall through to a kill.
            }
        }
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    internal const int SigTerm = 15;
    internal const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int SendSignal(int pid, int signal);

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at https?://[^:]+:(?<port>\d+)")]
    internal static partial Regex ListeningLine();
}
