using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using DuckDB.NET.Data;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Benchmarks;

/// <summary>
/// Ingest benchmark. The parent generates the drops and runs each contender in its own child process, so each
/// one's peak memory (VmHWM) is its own:
/// <list type="bullet">
/// <item><c>pipeline</c>: the IngestDrop entry point over Azurite: the upload read once as it downloads and is hashed, gate, validate,
/// minimise, pseudonymise, link, stage; then claim, Parquet upload, commit.</item>
/// <item><c>core</c>: the same row path on the local file with no storage (what the gate itself costs).</item>
/// <item><c>duckdb</c>: DuckDB reading the CSV, keyed-hashing the UPN, deriving age, writing Parquet.</item>
/// </list>
/// Usage: pipeline-bench [--pupils 10000[,2000…]] [--days 190] [--repeat 3] [--only pipeline|core|duckdb] [--warm];
/// pipeline-bench --history [--scale 1,3,10] [--extracts 0,12,36] for the cost of a YOT's history (<see cref="HistoryBench"/>).
/// <para>
/// The contenders take turns within each repetition (pipeline, core, DuckDB, pipeline, …), so a machine that other
/// work slows down slows them alike; each figure is the median of the repetitions. CPU seconds are the contender's
/// own process (user + system) over the timed part; Azurite's node process is not counted.
/// </para>
/// </summary>
public static class Program
{
    private const string Key = "YmVuY2htYXJrLWtleS1iZW5jaG1hcmsta2V5LWJlbmNobWFyaw==";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "run")
            return await RunChildAsync(args[1], args[2], args.Length > 3 ? args[3] : "", warm: args.Length > 4 && args[4] == "warm");
        if (args.Length == 4 && args[0] == "upload") return await UploadAsync(args[1], args[2], args[3]);
        if (args.Length >= 3 && args[0] == "history") return await HistoryBench.ChildAsync(args[1..], ChildOutputAsync);
        if (args.Contains("--history")) return await HistoryBench.RunAsync(args, ChildOutputAsync);
        var pupils = Option(args, "--pupils", "10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var days = int.Parse(Option(args, "--days", "190"), CultureInfo.InvariantCulture);
        var only = Option(args, "--only", "");
        var repeat = int.Parse(Option(args, "--repeat", "3"), CultureInfo.InvariantCulture);
        var warm = args.Contains("--warm");
        var folder = Path.Combine(Path.GetTempPath(), "pipeline-bench");

        Console.WriteLine($"{"pupils",8} {"rows",10} {"MB",7} | {"contender",-9} {"wall s",8} {"cpu s",7} " +
            $"{"rows/s",11} {"peak MB",8} {"of it before",12}   (median of {repeat}{(warm ? ", each after one untimed run" : "")})");
        foreach (var n in pupils)
        {
            var (attendance, children, rows) = AttendanceFileGenerator.Write(folder, n, days);
            var mb = new FileInfo(attendance).Length / 1e6;
            var contenders = new[] { "pipeline", "core", "duckdb" }.Where(c => only == "" || only == c).ToList();
            var runs = contenders.ToDictionary(c => c, _ => new List<Measurement>());
            for (var r = 0; r < repeat; r++)
                foreach (var contender in contenders)
                    runs[contender].Add(await RunInChildAsync(contender, attendance, children, warm));
            var results = new Dictionary<string, Measurement>();
            foreach (var contender in contenders)
            {
                var m = results[contender] = Median(runs[contender]);
                Console.WriteLine($"{n,8} {rows,10:N0} {mb,7:N0} | {contender,-9} {m.Seconds,8:N2} {m.CpuSeconds,7:N2} " +
                    $"{m.Rows / m.Seconds,11:N0} {m.PeakBytes / 1e6,8:N1} {m.StartBytes / 1e6,12:N1}" +
                    $"   walls: {string.Join(" ", runs[contender].Select(x => x.Seconds.ToString("N2", CultureInfo.InvariantCulture)))}");
            }
            if (results.TryGetValue("pipeline", out var p) && results.TryGetValue("duckdb", out var d))
                Console.WriteLine($"{"",29} pipeline ÷ DuckDB wall time: {p.Seconds / d.Seconds:N2}× (goal ≤ 0.5×); " +
                    $"core ÷ DuckDB: {results.GetValueOrDefault("core")?.Seconds / d.Seconds:N2}×");
            File.Delete(attendance);
            File.Delete(children);
        }
        return 0;
    }

    /// <param name="StartBytes">
    /// What the process held when the clock started (runtime, host, storage client; garbage collected): the peak less this is
    /// what the ingest itself needed.
    /// </param>
    private sealed record Measurement(long Rows, double Seconds, long PeakBytes, double CpuSeconds, long StartBytes);

    /// <summary>The median of each figure on its own: a run slowed by a neighbour moves none of them.</summary>
    private static Measurement Median(List<Measurement> runs)
    {
        static double Mid(IEnumerable<double> xs)
        {
            var s = xs.Order().ToList();
            return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
        }
        return new Measurement(runs[0].Rows, Mid(runs.Select(r => r.Seconds)), (long)Mid(runs.Select(r => (double)r.PeakBytes)),
            Mid(runs.Select(r => r.CpuSeconds)), (long)Mid(runs.Select(r => (double)r.StartBytes)));
    }

    private static async Task<Measurement> RunInChildAsync(string contender, string attendance, string children, bool warm) =>
        JsonSerializer.Deserialize<Measurement>(
            await ChildOutputAsync(["run", contender, attendance, children, .. warm ? ["warm"] : Array.Empty<string>()]))!;

    /// <summary>Runs this program again with the arguments; its last line of output.</summary>
    private static async Task<string> ChildOutputAsync(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        var self = typeof(Program).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(self);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{string.Join(" ", args)} failed ({child.ExitCode}): {output}");
        return output.Trim().Split('\n')[^1];
    }

    /// <param name="warm">
    /// Run the contender once untimed first, in the same process, as a long-lived worker has run the row path before: what is
    /// then measured has no compiling of code on first use (DuckDB's is compiled ahead of time).
    /// </param>
    private static async Task<int> RunChildAsync(string contender, string attendance, string children, bool warm)
    {
        async Task<(long, double, double)> Run() => contender switch
        {
            "pipeline" => await PipelineAsync(attendance, children, warmUp: warm),
            "core" => await CoreAsync(attendance),
            "duckdb" => DuckDb(attendance),
            _ => throw new ArgumentException(contender),
        };
        // The pipeline warms up inside its own host (PipelineAsync).
        if (warm && contender != "pipeline") await Run();
        var (rows, seconds, cpuSeconds) = await Run();
        Console.WriteLine(JsonSerializer.Serialize(new Measurement(rows, seconds, Timing.PeakBytes, cpuSeconds,
            Timing.StartResidentBytes)));
        return 0;
    }

    /// <param name="warmUp">First ingest the file under a second school, untimed (the same file again would be a duplicate).</param>
    private static async Task<(long, double, double)> PipelineAsync(string attendance, string children, bool warmUp)
    {
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: true, new Dictionary<string, string?>
        {
            ["DataStorage:ConnectionString"] = null,
            ["Pseudonymisation:Key"] = Key,
        });
        var store = pipeline.Get<AgreementStore>();
        var connection = pipeline.Get<IOptions<StorageOptions>>().Value.ConnectionString!;
        // Uploading is the provider's part, in the provider's process: the worker only ever reads a drop.
        async Task<Receipt> IngestAsync(string blobName, string file)
        {
            await ChildOutputAsync(["upload", connection, blobName, file]);
            return await pipeline.Get<DropIngestor>().IngestAsync(blobName, default);
        }
        await store.UpsertAsync(Agreement("bench-yot", "yot", ["yot-children"]), default);
        await store.UpsertAsync(Agreement("bench-school", "school", ["school-attendance"]), default);
        await IngestAsync("bench-yot/yot-children/children.csv", children);
        if (warmUp)
        {
            await store.UpsertAsync(Agreement("bench-school-2", "school", ["school-attendance"]), default);
            await IngestAsync("bench-school-2/school-attendance/attendance.csv", attendance);
        }
        await ChildOutputAsync(["upload", connection, "bench-school/school-attendance/attendance.csv", attendance]);
        // The clock runs for the IngestDrop entry point only.
        var clock = Timing.Start();
        var receipt = await pipeline.Get<DropIngestor>().IngestAsync("bench-school/school-attendance/attendance.csv", default);
        var (wall, cpu) = clock.Stop();
        if (receipt.Rows.Accepted == 0) throw new InvalidOperationException($"Nothing accepted: {ReceiptJson.Serialize(receipt)}");
        return (receipt.Rows.Read, wall, cpu);
    }

    /// <summary>The provider's upload of a drop, in a process of its own (<c>upload {connection} {blob} {file}</c>).</summary>
    private static async Task<int> UploadAsync(string connection, string blobName, string file)
    {
        await new BlobContainerClient(connection, StorageNames.DropsContainer).GetBlobClient(blobName).UploadAsync(file, overwrite: true);
        Console.WriteLine("uploaded");
        return 0;
    }

    private static async Task<(long, double, double)> CoreAsync(string attendance)
    {
        var pseudonymiser = new Privacy.Pseudonymiser(
            Microsoft.Extensions.Options.Options.Create(new Privacy.PseudonymisationOptions { Key = Key }));
        var agreement = Agreement("bench-school", "school", ["school-attendance"]);
        var schema = Drops.Schemas.SchemaCatalogue.Default.Get("school-attendance");
        var context = new DropContext("bench-school", "school-attendance", schema, agreement, agreement.DropTypes[0],
            new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), pseudonymiser);
        var clock = Timing.Start();
        await using var file = File.OpenRead(attendance);
        var processor = new DropProcessor(Drops.Schemas.SchemaCatalogue.Default, Curated.StagedParquetFile.DefaultStagingDirectory);
        await using var outcome = await processor.ProcessAsync(file, context, new EveryoneCohort(), default);
        foreach (var staged in outcome.Files) await (await staged.CompleteAsync("bench", default)).FlushAsync();
        var (wall, cpu) = clock.Stop();
        return (outcome.Rows.Read, wall, cpu);
    }

    private static (long, double, double) DuckDb(string attendance)
    {
        var output = Path.Combine(Path.GetTempPath(), $"bench-duckdb-{Environment.ProcessId}.parquet");
        var clock = Timing.Start();
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        // The same work as the gate's row path: read, keyed hash of the UPN, age from the date of birth, Parquet out.
        cmd.CommandText = $$"""
            COPY (
              SELECT substr(sha256('{{Key}}' || upper(trim(upn))), 1, 32) AS pupil_id,
                     date_sub('year', date_of_birth, DATE '2026-11-23') AS age,
                     urn, session_date, session, attendance_code
              FROM read_csv('{{attendance}}', header = true, all_varchar = false,
                            columns = {'upn': 'VARCHAR', 'legal_surname': 'VARCHAR', 'legal_forename': 'VARCHAR', 'date_of_birth': 'DATE',
                                       'urn': 'VARCHAR', 'session_date': 'DATE', 'session': 'VARCHAR', 'attendance_code': 'VARCHAR'})
            ) TO '{{output}}' (FORMAT parquet, COMPRESSION snappy)
            """;
        var rows = cmd.ExecuteNonQuery();
        var (wall, cpu) = clock.Stop();
        File.Delete(output);
        return (rows, wall, cpu);
    }

    private sealed class EveryoneCohort : Linkage.ICohort
    {
        public string? ChildOfPupil(string pupilId) => pupilId;
        public string? ChildOfLearner(string learnerId) => learnerId;
        public string? ChildOfPerson(string personKey) => null;
        public bool KnowsChild(string childId) => true;
        public bool Knows(string dropType, string field, string value) => true;
    }

    private static Agreement Agreement(string provider, string kind, string[] types) => new()
    {
        Id = $"ISA-{provider}",
        Provider = new AgreementProvider { Id = provider, Kind = kind, Name = provider },
        Yot = "bench",
        Purpose = "benchmark",
        LawfulBasis = "benchmark",
        ValidFrom = new DateOnly(2020, 1, 1),
        ValidTo = new DateOnly(2030, 12, 31),
        DropTypes = types.Select(t => new AgreedDropType
        {
            DropType = t,
            Columns = Drops.Schemas.SchemaCatalogue.Default.Get(t).Fields.Select(f => f.Name).ToList(),
        }).ToList(),
        Retention = new RetentionPolicy { RawDropDays = 1, QuarantineDays = 1, CuratedDays = 1 },
        RowErrorThreshold = 0.5,
    };

    /// <summary>Wall and CPU time (this process, every thread) of the timed part.</summary>
    private sealed class Timing
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

        /// <summary>
        /// Starts the clock, and the peak memory's window with it: what the setup left (the host, the storage client,
        /// the provider's upload of the file) is collected and the high-water mark reset to what the process holds
        /// now, so the peak is that of the process while it ingests, not that of the upload before it.
        /// </summary>
        public static Timing Start()
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            // Linux: writing 5 resets the process's peak resident set (VmHWM) to its current size.
            if (File.Exists("/proc/self/clear_refs")) File.WriteAllText("/proc/self/clear_refs", "5");
            StartResidentBytes = PeakResidentBytes();
            return new();
        }

        /// <summary>The high-water mark just after the reset: what the process held when the clock started.</summary>
        public static long StartResidentBytes { get; private set; }

        /// <summary>
        /// The process's high-water mark when the clock stopped: what tearing down the local host and its storage emulator
        /// takes afterwards is no part of the ingest.
        /// </summary>
        public static long PeakBytes { get; private set; }

        public (double Wall, double Cpu) Stop()
        {
            var result = (_wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds);
            PeakBytes = PeakResidentBytes();
            return result;
        }
    }

    internal static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return Environment.WorkingSet;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
