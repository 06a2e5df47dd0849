using YouthJustice.Pipeline.Ingestion;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary>
/// The built <c>pipeline</c> run as real processes on one checkout, as a user runs it in two terminals: every command
/// shares one storage process, so nothing one command stores is lost to another's; <c>pipeline stop</c> ends it after
/// it saves; the state folder is the user's alone; failures of the infrastructure exit 3 with one line.
/// </summary>
public sealed class SharedStorageTests : IAsyncLifetime
{
    private const string Yot = "yot-shared";
    private const string YotProvider = "yot-shared-case";
    private static readonly string[] Schools = ["school-north", "school-south"];
    private RunnerHome _home = null!;
    private string _files = null!;

    public async Task InitializeAsync()
    {
        _home = RunnerHome.Create();
        _files = Directory.CreateDirectory(Path.Combine(_home.Root, "files")).FullName;
        var agreements = new AgreementStore(await _home.StorageAsync());
        await agreements.UpsertAsync(Agreement(YotProvider, Yot, ["yot-children"], kind: "yot"), default);
        foreach (var school in Schools) await agreements.UpsertAsync(Agreement(school, Yot, ["school-attendance"]), default);

        var children = new StringBuilder(ChildrenHeader + "\r\n");
        for (var i = 0; i < 20; i++) children.Append($"S-{i},{Upn(500 + i)},,Shared,Sam,2012-02-{i + 1:00},1,WBRI,,Y\r\n");
        await File.WriteAllTextAsync(Path.Combine(_files, "children.csv"), children.ToString());
        for (var s = 0; s < Schools.Length; s++)
            await File.WriteAllTextAsync(SchoolFile(s), Attendance(Enumerable.Range(s * 10, 10)));

        var seeded = await _home.RunAsync("ingest", Path.Combine(_files, "children.csv"), "--provider", YotProvider, "--type",
            "yot-children");
        Assert.True(seeded.ExitCode == 0, seeded.ToString());
    }

    public async Task DisposeAsync() => await _home.DisposeAsync();

    [Fact]
    public async Task Two_ingests_started_at_once_share_one_storage_and_both_drops_are_kept()
    {
        // Nothing running: both commands find no storage and race to start it.
        await SharedAzurite.StopAsync(_home.State, default);

        var runs = await Task.WhenAll(Schools.Select((school, s) =>
            RunnerHome.Run.CompleteAsync(_home.Start(null, "ingest", SchoolFile(s), "--provider", school, "--type", "school-attendance"))));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));

        var stop = await _home.RunAsync("stop");
        Assert.Equal(ExitCodes.Success, stop.ExitCode);
        Assert.Contains("Local storage stopped", stop.Output);
        Assert.Null(SharedAzurite.Read(_home.State));

        // Started afresh from what the stopped storage saved: each drop has its raw blob, receipt, ledger row and Parquet.
        var storage = await _home.StorageAsync();
        for (var s = 0; s < Schools.Length; s++) await AssertDropKeptAsync(storage, Schools[s], SchoolFile(s));
    }

    [Fact]
    public async Task An_ingest_while_serve_runs_is_seen_by_serve_and_kept()
    {
        var port = FreePort();
        using var serve = _home.Start(null, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var serveError = serve.StandardError.ReadToEndAsync();
        await WaitForLineAsync(serve, "Ctrl+C stops.");

        var ingest = await _home.RunAsync("ingest", SchoolFile(0), "--provider", Schools[0], "--type", "school-attendance");
        Assert.True(ingest.ExitCode == 0, ingest.ToString());
        var token = await _home.RunAsync("token", "--role", "provider", "--provider", Schools[0]);
        Assert.Equal(0, token.ExitCode);

        // serve answers from the storage the ingest wrote to.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/drops");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Output.Trim());
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(DropId(Schools[0], SchoolFile(0)), await response.Content.ReadAsStringAsync());

        // A shell that starts the tests in the background without job control makes them ignore SIGINT, and children
        // inherit that: there no Ctrl+C could reach serve, so it is stopped as a service manager would stop it.
        Signal(serve.Id, InterruptIgnored() ? "TERM" : "INT");
        using (var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            await serve.WaitForExitAsync(patience.Token);
        Assert.True(serve.ExitCode == 0, await serveError);

        await _home.RunAsync("stop");
        await AssertDropKeptAsync(await _home.StorageAsync(), Schools[0], SchoolFile(0));
    }

    [Fact]
    public async Task A_stale_pid_file_is_replaced_and_a_process_that_is_not_our_storage_is_left_alone()
    {
        await _home.RunAsync("stop");
        // A pid file left behind by a crash, whose pid now belongs to another program (this test) and whose ports answer nothing.
        var stale = new SharedAzurite.Instance(Environment.ProcessId, FreePort(), FreePort(), FreePort(),
            Path.Combine(_home.State, SharedAzurite.DataFolder), DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(Path.Combine(_home.State, SharedAzurite.InfoFile), JsonSerializer.Serialize(stale));

        // Any verb that needs storage; the audit trail answers even when nothing has been sent yet.
        var audit = await _home.RunAsync("audit", "--since", "2026-01-01");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var now = SharedAzurite.Read(_home.State);
        Assert.NotNull(now);
        Assert.NotEqual(Environment.ProcessId, now.Pid);
        Assert.True(SharedAzurite.IsAlive(now.Pid));
    }

    [Fact]
    public void The_state_folder_and_everything_in_it_is_the_users_alone()
    {
        if (OperatingSystem.IsWindows()) return;
        var state = new DirectoryInfo(_home.State);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, state.UnixFileMode);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var entries = state.EnumerateFileSystemInfos("*", SearchOption.AllDirectories).ToList();
        Assert.Contains(entries, e => e.FullName.Contains($"{SharedAzurite.DataFolder}{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal) && e is FileInfo);
        Assert.All(entries, e => Assert.True((e.UnixFileMode & others) == 0, $"{e.FullName} is {e.UnixFileMode}"));
    }

    [Fact]
    public async Task Storage_that_does_not_answer_exits_3_with_one_line()
    {
        var dead = FreePort();
        var run = await _home.RunAsync(new Dictionary<string, string?>
        {
            ["DataStorage__ConnectionString"] = AzuriteConnectionString(dead),
        }, "kpis", "--yot", Yot, "--period", "2026-Q2");

        Assert.Equal(ExitCodes.Infrastructure, run.ExitCode);
        AssertOneLine(run.Error);
    }

    [Fact]
    public async Task Storage_killed_during_an_ingest_exits_3_with_one_line_and_the_next_command_recovers()
    {
        // Large enough that the drop is still being processed when the raw upload is seen.
        var big = Path.Combine(_files, "big.csv");
        await File.WriteAllTextAsync(big, LargeAttendance());
        // Local storage saves to disk every few seconds; a kill loses what it has not saved yet. Stopping it first
        // saves the agreements and children the set-up stored, so only the ingest below is at risk when it dies.
        await _home.RunAsync("stop");
        var storage = await _home.StorageAsync();
        var raw = storage.Container(StorageNames.DropsContainer).GetBlobClient($"{Schools[1]}/school-attendance/big.csv");

        using var ingest = _home.Start(null, "ingest", big, "--provider", Schools[1], "--type", "school-attendance");
        while (!await raw.ExistsAsync()) await Task.Delay(20);
        // Frozen while its storage dies, then resumed: whatever it does next finds storage gone.
        Signal(ingest.Id, "STOP");
        Signal(SharedAzurite.Read(_home.State)!.Pid, "KILL");
        Signal(ingest.Id, "CONT");
        var run = await RunnerHome.Run.CompleteAsync(ingest);

        Assert.Equal(ExitCodes.Infrastructure, run.ExitCode);
        AssertOneLine(run.Error);

        // The next command finds the dead storage recorded, starts a new one, and the drop can be sent again.
        var again = await _home.RunAsync("ingest", big, "--provider", Schools[1], "--type", "school-attendance");
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task A_different_key_under_the_same_version_exits_3_naming_the_version_and_stores_nothing()
    {
        var wrongKey = Pseudonymiser.NewKey();
        var run = await _home.RunAsync(new Dictionary<string, string?> { ["Pseudonymisation__Key"] = wrongKey },
            "ingest", SchoolFile(0), "--provider", Schools[0], "--type", "school-attendance");

        Assert.Equal(ExitCodes.Infrastructure, run.ExitCode);
        AssertOneLine(run.Error);
        Assert.Contains("'v1'", run.Error);
        Assert.DoesNotContain(wrongKey, run.Error + run.Output);

        var storage = await _home.StorageAsync();
        Assert.False(await storage.Container(StorageNames.DropsContainer)
            .GetBlobClient($"{Schools[0]}/school-attendance/{Path.GetFileName(SchoolFile(0))}").ExistsAsync());
        Assert.Empty(await LedgerRowsAsync(storage, Schools[0]));

        // The right key still works: nothing was poisoned.
        var right = await _home.RunAsync("ingest", SchoolFile(0), "--provider", Schools[0], "--type", "school-attendance");
        Assert.True(right.ExitCode == 0, right.ToString());
    }

    private string SchoolFile(int s) => Path.Combine(_files, $"{Schools[s]}.csv");

    /// <summary>Four session marks in 2026-Q2 for each of the children given (by serial).</summary>
    private static string Attendance(IEnumerable<int> children)
    {
        var csv = new StringBuilder(AttendanceHeader + "\r\n");
        foreach (var i in children)
            foreach (var line in Marks(Upn(500 + i), "Shared", $"2012-02-{i + 1:00}", "100001", new DateOnly(2026, 4, 20), "/", "\\", "/",
                "\\"))
                csv.Append(line).Append("\r\n");
        return csv.ToString();
    }

    /// <summary>100,000 marks: 500 pupils (most not known to the YOT) on 100 school days from January 2026.</summary>
    private static string LargeAttendance()
    {
        var days = new List<DateOnly>();
        for (var day = new DateOnly(2026, 1, 5); days.Count < 100; day = day.AddDays(1))
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) days.Add(day);
        var csv = new StringBuilder(AttendanceHeader + "\r\n");
        for (var p = 0; p < 500; p++)
            foreach (var day in days)
                csv.Append(
                    $"{Upn(p)},Large,Lee,2012-01-01,100001,{day:yyyy-MM-dd},AM,/\r\n{Upn(p)},Large,Lee,2012-01-01,100001," +
                    $"{day:yyyy-MM-dd},PM,/\r\n");
        return csv.ToString();
    }

    private static async Task AssertDropKeptAsync(PipelineStorage storage, string provider, string file)
    {
        var dropId = DropId(provider, file);
        Assert.True(await storage.Container(StorageNames.DropsContainer)
            .GetBlobClient($"{provider}/school-attendance/{Path.GetFileName(file)}").ExistsAsync(), $"raw drop of {provider}");
        Assert.True(await storage.Container(StorageNames.ReceiptsContainer).GetBlobClient($"{provider}/{dropId}.json").ExistsAsync(),
            $"receipt of {provider}");
        Assert.Contains(await LedgerRowsAsync(storage, provider), e => e.RowKey.Contains(dropId, StringComparison.Ordinal)
            && e.GetString("Status") == "accepted");
        Assert.True(await storage.Container(StorageNames.CuratedContainer)
            .GetBlobClient(CuratedLayout.BlobName("school-attendance", Yot, new Quarter(2026, 2), dropId)).ExistsAsync(),
                $"curated Parquet of {provider}");
    }

    private static async Task<List<TableEntity>> LedgerRowsAsync(PipelineStorage storage, string provider)
    {
        var rows = new List<TableEntity>();
        await foreach (var e in storage.Table(StorageNames.DropsTable)
            .QueryAsync<TableEntity>(e => e.PartitionKey == provider)) rows.Add(e);
        return rows;
    }

    private static string DropId(string provider, string file)
    {
        using var content = File.OpenRead(file);
        return DropLedger.DropIdAsync(provider, "school-attendance", content, default).GetAwaiter().GetResult();
    }

    private static void AssertOneLine(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{error}");
        Assert.StartsWith("Infrastructure error: ", lines[0]);
        Assert.DoesNotContain("Unhandled exception", error);
    }

    private static async Task WaitForLineAsync(Process process, string expected)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
            if (line.Contains(expected, StringComparison.Ordinal)) return;
        throw new InvalidOperationException($"The process ended before printing '{expected}'.");
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Whether this process ignores SIGINT (bit 2 of the SigIgn mask in /proc/self/status).</summary>
    private static bool InterruptIgnored()
    {
        var mask = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))[7..].Trim();
        return (Convert.ToUInt64(mask, 16) & 0b10) != 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string AzuriteConnectionString(int port) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
}
