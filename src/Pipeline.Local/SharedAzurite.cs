using System.Diagnostics;
using System.Text.Json;

namespace YouthJustice.Pipeline.Local;

/// <summary>
/// One Azurite per state folder, shared by every command of the runner on that checkout. Azurite keeps its data in
/// memory and writes it to disk every few seconds, so two Azurites on one folder overwrite each other's saves: two
/// <c>ingest</c> at once each believed they had stored their drop, and one drop was lost. The first command starts it
/// detached (it outlives the command) and records it in <c>.pipeline/azurite.json</c>; the others find it there. A lock
/// file (an OS lock, released when its holder dies) makes finding, starting and stopping one step, so two commands
/// starting at once never both start one. A recorded instance is used only while its process is alive, is Azurite on
/// this folder, and answers as Azurite on each recorded port; anything else is stale and replaced.
/// </summary>
public static class SharedAzurite
{
    public const string DataFolder = "azurite";
    public const string InfoFile = "azurite.json";
    public const string LockFile = "azurite.lock";
    public const string LogFile = "azurite.log";

    // A command may wait on another that is starting Azurite on a loaded machine (up to StartWait), then start its own check.
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(60);
    // Azurite writes its data on SIGTERM; a large store takes a few seconds.
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>A running Azurite as recorded in the pid/port file.</summary>
    public sealed record Instance(int Pid, int BlobPort, int QueuePort, int TablePort, string Location, DateTimeOffset StartedAt)
    {
        [System.Text.Json.Serialization.JsonIgnore]
        public string ConnectionString => AzuriteProcess.ConnectionStringFor(BlobPort, QueuePort, TablePort);
    }

    /// <summary>The folder's Azurite: the recorded one if it is really serving, otherwise a new one started detached.</summary>
    public static async Task<Instance> EnsureRunningAsync(string state, CancellationToken cancellationToken)
    {
        var location = Location(state);
        StateFolder.Ensure(state);
        StateFolder.Ensure(location);
        await using var held = await LockAsync(state, cancellationToken);
        var known = Read(state);
        if (known is not null && known.Location == location && await IsServingAsync(known, cancellationToken)) return known;

        // Stale: a dead or reused pid, a hung Azurite, or one left running by a command killed as it started it.
        if (known is not null) await EndAsync(known.Pid, location);
        foreach (var orphan in RunningOn(location)) await EndAsync(orphan, location);
        File.Delete(Path.Combine(state, InfoFile));

        var started = await StartDetachedAsync(state, location, cancellationToken);
        StateFolder.WritePrivateFile(Path.Combine(state, InfoFile), JsonSerializer.Serialize(started));
        return started;
    }

    /// <summary>Stops the folder's Azurite with SIGTERM (so it saves), waiting for it to exit; null if none was running.</summary>
    public static async Task<Instance?> StopAsync(string state, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(state)) return null;
        var location = Location(state);
        await using var held = await LockAsync(state, cancellationToken);
        var known = Read(state);
        var stopped = known is not null && await EndAsync(known.Pid, location);
        foreach (var orphan in RunningOn(location)) stopped |= await EndAsync(orphan, location);
        File.Delete(Path.Combine(state, InfoFile));
        return stopped ? known : null;
    }

    /// <summary>The recorded instance, whether or not it is still running (for status and tests).</summary>
    public static Instance? Read(string state)
    {
        try
        {
            return JsonSerializer.Deserialize<Instance>(File.ReadAllText(Path.Combine(state, InfoFile)));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    private static string Location(string state) => Path.GetFullPath(Path.Combine(state, DataFolder));

    private static async Task<FileStream> LockAsync(string state, CancellationToken cancellationToken)
    {
        var path = Path.Combine(state, LockFile);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return StateFolder.OpenPrivate(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockWait)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (IOException)
            {
                throw new InvalidOperationException(
                    $"Another pipeline command has held {path} for {LockWait.TotalSeconds:0} s; if none is running, delete the file.");
            }
        }
    }

    private static async Task<bool> IsServingAsync(Instance instance, CancellationToken cancellationToken) =>
        IsAzuriteOn(instance.Pid, instance.Location)
        && (await Task.WhenAll(AnswersAsync(instance.BlobPort, "Azurite-Blob", cancellationToken),
            AnswersAsync(instance.QueuePort, "Azurite-Queue", cancellationToken),
            AnswersAsync(instance.TablePort, "Azurite-Table", cancellationToken))).All(ok => ok);

    /// <summary>Azurite names itself in the Server header of every answer, even to a request it refuses.</summary>
    private static async Task<bool> AnswersAsync(int port, string server, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Probe.GetAsync($"http://127.0.0.1:{port}/", cancellationToken);
            return response.Headers.Server.ToString().StartsWith(server, StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<Instance> StartDetachedAsync(string state, string location, CancellationToken cancellationToken)
    {
        var script = await AzuriteProcess.EnsureInstalledAsync(cancellationToken);
        var log = Path.Combine(state, LogFile);
        var launcher = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        launcher.ArgumentList.Add("-e");
        launcher.ArgumentList.Add(Launcher);
        launcher.ArgumentList.Add(log);
        foreach (var a in AzuriteProcess.Arguments(script, "--location", location)) launcher.ArgumentList.Add(a);
        using (var p = Process.Start(launcher) ?? throw new InvalidOperationException("Could not run node to start Azurite."))
        {
            var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
            await p.WaitForExitAsync(cancellationToken);
            if (p.ExitCode != 0 || !int.TryParse((await stdout).Trim(), out var pid))
                throw new InvalidOperationException($"Could not start Azurite: {FirstLine(await stderr)}");

            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < StartWait)
            {
                var ports = ListeningPorts(File.Exists(log) ? File.ReadAllText(log) : "");
                if (ports is var (blob, queue, table)) return new Instance(pid, blob, queue, table, location, DateTimeOffset.UtcNow);
                if (!IsAlive(pid)) throw new InvalidOperationException($"Azurite stopped as it started; see {log}.");
                await Task.Delay(100, cancellationToken);
            }
            await EndAsync(pid, location);
            throw new InvalidOperationException($"Azurite did not start within {StartWait.TotalSeconds:0} s; see {log}.");
        }
    }

    /// <summary>
    /// Starts Azurite in a session of its own (so a Ctrl+C meant for a command does not reach it) with its output in
    /// the log, files created 0600 and folders 0700, prints its pid and exits, leaving it running.
    /// </summary>
    private const string Launcher = """
        const fs = require('fs'), { spawn } = require('child_process');
        const [log, ...args] = process.argv.slice(1);
        process.umask(0o077);
        const out = fs.openSync(log, 'w', 0o600);
        fs.fchmodSync(out, 0o600);
        const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out] });
        child.on('error', e => { console.error(e.message); process.exit(1); });
        child.on('spawn', () => { process.stdout.write(String(child.pid)); child.unref(); process.exit(0); });
        """;

    private static (int Blob, int Queue, int Table)? ListeningPorts(string log)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match m in AzuriteProcess.ListeningLine().Matches(log))
            ports[m.Groups["service"].Value] = int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return ports.Count == 3 ? (ports["Blob"], ports["Queue"], ports["Table"]) : null;
    }

    /// <summary>SIGTERM, then SIGKILL if it has not saved and exited in time. True if it was our Azurite and is gone.</summary>
    private static async Task<bool> EndAsync(int pid, string location)
    {
        if (!IsAzuriteOn(pid, location)) return false;
        Signal(pid, AzuriteProcess.SigTerm);
        var waited = Stopwatch.StartNew();
        while (IsAlive(pid) && waited.Elapsed < StopWait) await Task.Delay(50);
        if (IsAlive(pid))
        {
            Signal(pid, AzuriteProcess.SigKill);
            while (IsAlive(pid) && waited.Elapsed < StopWait * 2) await Task.Delay(50);
        }
        return !IsAlive(pid);
    }

    private static void Signal(int pid, int signal)
    {
        if (!OperatingSystem.IsWindows())
        {
            AzuriteProcess.SendSignal(pid, signal);
            return;
        }
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    /// <summary>Alive and not a zombie (an exited child nobody has reaped yet still answers signal 0).</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                return !p.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
        if (AzuriteProcess.SendSignal(pid, 0) != 0) return false;
        if (!OperatingSystem.IsLinux()) return true;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..];
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a pid is Azurite serving <paramref name="location"/>: a pid file can outlive its process and the pid be
    /// reused. Without /proc (macOS) the port probe alone decides.
    /// </summary>
    private static bool IsAzuriteOn(int pid, string location)
    {
        if (!IsAlive(pid)) return false;
        if (!OperatingSystem.IsLinux()) return true;
        var args = CommandLine(pid);
        var at = Array.IndexOf(args, "--location");
        return args.Any(a => a.EndsWith("azurite.js", StringComparison.Ordinal)) && at >= 0 && at + 1 < args.Length
            && args[at + 1] == location;
    }

    /// <summary>Every Azurite process on this folder (Linux), e.g. one whose starter was killed before recording it.</summary>
    private static IEnumerable<int> RunningOn(string location)
    {
        if (!OperatingSystem.IsLinux()) yield break;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId && IsAzuriteOn(pid, location))
                yield return pid;
    }

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .FirstOrDefault() ?? "no output";
}
