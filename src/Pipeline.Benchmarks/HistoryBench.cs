using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Kpis.Data;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Benchmarks;

/// <summary>
/// <c>./bench --history</c>: what a YOT's history costs. The demo YOT's 9-file case extract (×1, ×3, ×10 its caseload)
/// is sent, then re-sent K times with a few rows changed each month, as a case system's monthly export is. Then one
/// quarter's recompute reading every extract (the view off: how it was) and reading the current view brought up to
/// date with the last extract (how it is), each in a fresh process over the same storage, as a Functions instance
/// would run it, so its peak memory is its own and not what the ingests left behind (<see cref="RecomputeAsync"/>);
/// the ingest time of the first and of the last extract (and the blobs each read); the recomputes
/// the last extract's nudges cost, handled one by one as the Functions queue trigger does; and the latency of
/// <c>pipeline kpis</c> with storage up (a stored, clean quarter: services started over the running storage, then the
/// verb; the dotnet process start is not included). After every other extract the nudges are handled too, so the view
/// is folded forward month by month as it is in Azure. Each (caseload, K) runs in its own child process over
/// in-memory Azurite.
/// </summary>
internal static class HistoryBench
{
    private const string Key = "YmVuY2htYXJrLWtleS1iZW5jaG1hcmsta2V5LWJlbmNobWFyaw==";

    public static async Task<int> RunAsync(string[] args, Func<string[], Task<string>> inChild)
    {
        var scales = Option(args, "--scale", "1,3,10").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var history = Option(args, "--extracts", "0,12,36").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Console.WriteLine($"{"caseload",12} {"K",3} | {"ingest 1st/2nd/last s",21} {"blobs 1st/last",14} | "
            + $"{"recompute",-9} {"cold s",6} {"warm s",6} {"VmHWM MB",8} {"heap MB",7} {"blobs",6} | "
            + $"{"nudges→recomputes (quarters)",28} | {"kpis ms",7}");
        var blank = $"{"",16} | {"",21} {"",14}";
        foreach (var scale in scales)
            foreach (var k in history)
            {
                var r = JsonSerializer.Deserialize<Result>(await inChild(
                    ["history", scale.ToString(CultureInfo.InvariantCulture), k.ToString(CultureInfo.InvariantCulture)]))!;
                var ingest = string.Join("/", new[] { r.FirstIngest, r.SecondIngest, r.LastIngest }.OfType<double>()
                    .Select(x => x.ToString("N2", CultureInfo.InvariantCulture)));
                Console.WriteLine($"{"×" + scale + " " + r.Children,12} {k,3} | {ingest,21} "
                    + $"{r.FirstIngestBlobs + "/" + r.LastIngestBlobs,14} | "
                    + $"{Line("full", r.Full)} | {$"{r.Nudges}→{r.Recomputes} ({r.Quarters})",28} | {r.KpisMs,7:N0}");
                Console.WriteLine($"{blank} | {Line("view", r.View)} | view ÷ full: {r.View.Seconds / r.Full.Seconds:N2}× time, "
                    + $"{r.View.Blobs / (double)r.Full.Blobs:N2}× blobs");
                Console.WriteLine($"{blank} | {Line("baseline", r.Baseline)} | the same process recomputing nothing");
            }
        return 0;
    }

    private static string Line(string name, Phase p) =>
        $"{name,-9} {p.Seconds,6:N2} {p.WarmSeconds,6:N2} {p.PeakMb,8:N0} {p.HeapMb,7:N0} {p.Blobs,6}";

    /// <summary>One recompute in a fresh process.</summary>
    /// <param name="Seconds">The first recompute, what a fresh instance takes (loading and compiling the code included).</param>
    /// <param name="WarmSeconds">The same recompute again in the same process (for the view, with nothing left to fold).</param>
    /// <param name="PeakMb">The process's peak resident memory (VmHWM) up to the end of the first recompute, runtime included.</param>
    /// <param name="HeapMb">The managed heap's peak during the first recompute, sampled every millisecond.</param>
    /// <param name="Blobs">The blobs the first recompute downloaded.</param>
    public sealed record Phase(double Seconds, double WarmSeconds, double PeakMb, double HeapMb, long Blobs);

    /// <param name="SecondIngest">The second extract's ingest (null with no re-send): month 1 without the process's warm-up.</param>
    /// <param name="FirstIngestBlobs">
    /// Curated, view and receipt blobs the first extract's ingest downloaded (the last's likewise).
    /// </param>
    /// <param name="Nudges">
    /// The <c>kpi-recompute</c> messages the last extract sent; <paramref name="Recomputes"/> the quarters they recomputed.
    /// </param>
    /// <param name="Quarters">The quarters the last extract touched (its drops' ledger rows), each once.</param>
    /// <param name="Baseline">The recompute's process started over the same storage, recomputing nothing.</param>
    public sealed record Result(int Children, double FirstIngest, double? SecondIngest, double LastIngest,
        long FirstIngestBlobs, long LastIngestBlobs, Phase Full, Phase View, Phase Baseline, int Nudges, long Recomputes, int Quarters,
        double KpisMs);

    /// <summary>
    /// The child processes: <c>history {scale} {extracts}</c> sets up and measures one caseload and history;
    /// <c>history recompute {connection} {full|view|none}</c> is its fresh process for one recompute.
    /// </summary>
    public static async Task<int> ChildAsync(string[] args, Func<string[], Task<string>> inChild)
    {
        object result = args[0] == "recompute"
            ? await RecomputeAsync(args[1], args[2])
            : await MeasureAsync(int.Parse(args[0], CultureInfo.InvariantCulture), int.Parse(args[1], CultureInfo.InvariantCulture),
                inChild);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>The child process: one caseload and history.</summary>
    private static async Task<Result> MeasureAsync(int scale, int extracts, Func<string[], Task<string>> inChild)
    {
        var folder = Directory.CreateTempSubdirectory("bench-history-").FullName;
        try
        {
            await using var pipeline = await LocalPipeline.StartAsync(inMemory: true, new Dictionary<string, string?>
            {
                ["DataStorage:ConnectionString"] = null,
                ["Pseudonymisation:Key"] = Key,
            });
            foreach (var a in DemoData.Agreements()) await pipeline.Get<AgreementStore>().UpsertAsync(a, default);
            var demo = DemoData.Write(folder);
            var extract = demo.Where(d => d.Provider == demo[0].Provider).ToList();
            var children = 0;

            var ledger = new DropLedger(pipeline.Storage);
            // The quarters an extract touches: those its drops' ledger rows name, each drop's own count of what changed.
            async Task<(double Seconds, long Blobs, int Quarters)> SendAsync(int month)
            {
                var files = new List<(string Path, DemoDrop Drop)>();
                foreach (var d in extract)
                {
                    var path = Path.Combine(folder, $"{d.DropType}-m{month}.csv");
                    var rows = Scaled(File.ReadAllLines(d.Path), scale, month);
                    File.WriteAllLines(path, rows);
                    if (d.DropType == "yot-children" && month == 0) children = rows.Count - 1;
                    files.Add((path, d));
                }
                using var blobs = new Counted("pipeline.blobs.read");
                var clock = Stopwatch.StartNew();
                var receipts = new List<Receipt>();
                foreach (var (path, d) in files)
                    receipts.Add(await IngestCommand.UploadAndIngestAsync(pipeline, path, d.Provider, d.DropType, default));
                var seconds = clock.Elapsed.TotalSeconds;
                var quarters = new HashSet<string>(StringComparer.Ordinal);
                foreach (var r in receipts)
                    if (await ledger.FindAsync(r.Provider, r.DropId, default) is { } row)
                        quarters.UnionWith((row.GetString(DropLedger.Periods) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries));
                return (seconds, blobs.Count, quarters.Count);
            }

            var recomputer = pipeline.Get<KpiRecomputer>();
            // The Functions queue trigger: every nudge handled on its own, in the order sent.
            async Task<(int Nudges, long Recomputes)> HandleNudgesAsync()
            {
                using var recomputes = new Counted("pipeline.kpi.recomputes");
                var queue = pipeline.Storage.Queue(StorageNames.KpiRecomputeQueue);
                var messages = new List<string>();
                while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
                    foreach (var m in batch)
                    {
                        messages.Add(m.Body.ToString());
                        await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                    }
                foreach (var m in messages) await recomputer.HandleAsync(m, default);
                return (messages.Count, recomputes.Count);
            }

            var first = await SendAsync(0);
            var last = first;
            double? second = null;
            for (var m = 1; m <= extracts; m++)
            {
                await HandleNudgesAsync();
                last = await SendAsync(m);
                second ??= last.Seconds;
            }

            var connection = pipeline.Get<IOptions<StorageOptions>>().Value.ConnectionString!;
            async Task<Phase> InFreshProcessAsync(string mode) =>
                JsonSerializer.Deserialize<Phase>(await inChild(["history", "recompute", connection, mode]))!;
            var full = await InFreshProcessAsync("full");
            var current = await InFreshProcessAsync("view");
            var baseline = await InFreshProcessAsync("none");
            var (nudges, recomputed) = await HandleNudgesAsync();

            var kpis = Stopwatch.StartNew();
            await using (var cli = await OverAsync(connection))
            {
                var exit = await KpisCommand.ShowAsync(cli.Get<KpiStore>(), cli.Get<KpiRecomputer>(),
                    cli.Get<IOptions<DisclosureOptions>>().Value,
                    new KpisRequest(DemoData.Yot, DemoData.Period.ToString()), TextWriter.Null, TextWriter.Null, default);
                if (exit != 0) throw new InvalidOperationException($"kpis exited {exit}");
            }
            return new Result(children, first.Seconds, second, last.Seconds, first.Blobs, last.Blobs, full, current, baseline,
                nudges, recomputed, last.Quarters, kpis.Elapsed.TotalMilliseconds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Services started over storage already running, as another process (the runner, a Functions instance) starts them.</summary>
    private static Task<LocalPipeline> OverAsync(string connection) =>
        LocalPipeline.StartAsync(inMemory: false, new Dictionary<string, string?>
        {
            ["DataStorage:ConnectionString"] = connection,
            ["Pseudonymisation:Key"] = Key,
        });

    /// <summary>
    /// The fresh process: one quarter's recompute (load and compute; nothing stored, so the last extract's nudges still
    /// find their quarters dirty), timed, then again warm. Mode <c>none</c> starts the same services and recomputes
    /// nothing: the runtime's and the storage client's own share of the peak.
    /// </summary>
    private static async Task<Phase> RecomputeAsync(string connection, string mode)
    {
        await using var pipeline = await OverAsync(connection);
        using var heap = new HeapPeak();
        if (mode == "none") return new Phase(0, 0, Program.PeakResidentBytes() / 1e6, heap.Bytes / 1e6, 0);
        var engine = pipeline.Get<KpiEngine>();
        async Task<(double Seconds, long Blobs)> OnceAsync()
        {
            using var blobs = new Counted("pipeline.blobs.read");
            var clock = Stopwatch.StartNew();
            var data = await YotData.LoadAsync(pipeline.Storage, DemoData.Yot, default, currentView: mode == "view");
            await engine.ComputeAsync(DemoData.Yot, DemoData.Period, data, default);
            return (clock.Elapsed.TotalSeconds, blobs.Count);
        }
        var cold = await OnceAsync();
        var (peak, heapPeak) = (Program.PeakResidentBytes(), heap.Bytes);
        var warm = await OnceAsync();
        return new Phase(cold.Seconds, warm.Seconds, peak / 1e6, heapPeak / 1e6, cold.Blobs);
    }

    /// <summary>
    /// The extract ×scale (copies under other case references and record ids, without the UPN and ULN, which must stay unique) with
    /// about one row in fifty left out, a different one each month, so every month's file is new.
    /// </summary>
    private static List<string> Scaled(string[] lines, int scale, int month)
    {
        var rows = new List<string> { lines[0] };
        var header = lines[0].Split(',');
        int upn = Array.IndexOf(header, "upn"), uln = Array.IndexOf(header, "uln");
        var ids = Enumerable.Range(1, header.Length - 1).Where(c => header[c].EndsWith("_id", StringComparison.Ordinal)).ToList();
        for (var j = 0; j < scale; j++)
            for (var i = 1; i < lines.Length; i++)
            {
                if (month > 0 && (i + month) % 50 == 0) continue;
                if (j == 0) { rows.Add(lines[i]); continue; }
                var cells = lines[i].Split(',');
                cells[0] += $"-x{j}";
                // Record ids (intervention, offence, victim) are unique per child in a file: copies get their own.
                foreach (var c in ids) if (cells[c].Length > 0) cells[c] += $"-x{j}";
                if (upn >= 0) cells[upn] = "";
                if (uln >= 0) cells[uln] = "";
                rows.Add(string.Join(",", cells));
            }
        return rows;
    }

    /// <summary>One of the pipeline's counters, from creation on.</summary>
    private sealed class Counted : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public Counted(string name)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == PipelineMetrics.MeterName && i.Name == name) l.EnableMeasurementEvents(i);
            };
            _listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref _count, v));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>
    /// The managed heap's peak from creation on: its size now, or just before the last collection (where the heap had
    /// grown to), whichever is larger, sampled every millisecond on a thread of its own.
    /// </summary>
    private sealed class HeapPeak : IDisposable
    {
        private readonly Thread _sampler;
        private volatile bool _stop;
        private long _peak;

        public HeapPeak()
        {
            Sample();
            _sampler = new Thread(() =>
            {
                while (!_stop)
                {
                    Sample();
                    Thread.Sleep(1);
                }
            }) { IsBackground = true };
            _sampler.Start();
        }

        public long Bytes
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _peak);
            }
        }

        private void Sample()
        {
            long beforeLast = 0;
            foreach (var g in GC.GetGCMemoryInfo(GCKind.Any).GenerationInfo) beforeLast += g.SizeBeforeBytes;
            var now = Math.Max(GC.GetTotalMemory(forceFullCollection: false), beforeLast);
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        }

        public void Dispose()
        {
            _stop = true;
            _sampler.Join();
        }
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
