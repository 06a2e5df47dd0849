using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Cli.Demo;
using YouthJustice.Pipeline.Cli.Local;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Benchmarks;

/// <summary>
/// <c>./bench --history</c>: what a YOT's history costs. The demo YOT's 9-file case extract (×1, ×3, ×10 its caseload)
/// is sent, then re-sent K times with a few rows changed each month, as a case system's monthly export is. Then, in the
/// same process over the same storage: one quarter's recompute reading every extract (the view off: how it was) and
/// reading the current view brought up to date with the last extract (how it is), each with its wall time, peak memory
/// and blobs downloaded; the ingest time of the first and of the last extract; and the latency of <c>pipeline kpis</c>
/// with storage up (a stored, clean quarter). Each (caseload, K) runs in its own child process over in-memory Azurite.
/// </summary>
internal static class HistoryBench
{
    public static async Task<int> RunAsync(string[] args, Func<string[], Task<string>> inChild)
    {
        var scales = Option(args, "--scale", "1,3,10").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var history = Option(args, "--extracts", "0,12,36").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Console.WriteLine($"{"caseload",8} {"K",3} | {"ingest 1st s",12} {"ingest last s",13} | {"recompute",-9} {"wall s",7} {"peak MB",8} {"blobs",6} | {"kpis ms",7}");
        foreach (var scale in scales)
            foreach (var k in history)
            {
                var r = JsonSerializer.Deserialize<Result>(await inChild(["history", scale.ToString(CultureInfo.InvariantCulture), k.ToString(CultureInfo.InvariantCulture)]))!;
                Console.WriteLine($"{"×" + scale + " " + r.Children,8} {k,3} | {r.FirstIngest,12:N2} {r.LastIngest,13:N2} | {"full",-9} {r.Full.Seconds,7:N2} {r.Full.PeakMb,8:N0} {r.Full.Blobs,6} | {r.KpisMs,7:N0}");
                Console.WriteLine($"{"",12} | {"",12} {"",13} | {"view",-9} {r.View.Seconds,7:N2} {r.View.PeakMb,8:N0} {r.View.Blobs,6} | view ÷ full: {r.View.Seconds / r.Full.Seconds:N2}× time, {r.View.Blobs / (double)r.Full.Blobs:N2}× blobs");
            }
        return 0;
    }

    public sealed record Phase(double Seconds, double PeakMb, long Blobs);

    public sealed record Result(int Children, double FirstIngest, double LastIngest, Phase Full, Phase View, double KpisMs);

    /// <summary>The child process: one caseload and history.</summary>
    public static async Task<Result> MeasureAsync(int scale, int extracts)
    {
        var folder = Directory.CreateTempSubdirectory("bench-history-").FullName;
        try
        {
            await using var pipeline = await LocalPipeline.StartAsync(inMemory: true, new Dictionary<string, string?>
            {
                ["DataStorage:ConnectionString"] = null,
                ["Pseudonymisation:Key"] = "YmVuY2htYXJrLWtleS1iZW5jaG1hcmsta2V5LWJlbmNobWFyaw==",
            });
            foreach (var a in DemoData.Agreements()) await pipeline.Get<AgreementStore>().UpsertAsync(a, default);
            var demo = DemoData.Write(folder);
            var extract = demo.Where(d => d.Provider == demo[0].Provider).ToList();
            var children = 0;

            async Task<double> SendAsync(int month)
            {
                var clock = Stopwatch.StartNew();
                foreach (var d in extract)
                {
                    var path = Path.Combine(folder, $"{d.DropType}-m{month}.csv");
                    var rows = Scaled(File.ReadAllLines(d.Path), scale, month);
                    File.WriteAllLines(path, rows);
                    if (d.DropType == "yot-children") children = rows.Count - 1;
                    await IngestCommand.UploadAndIngestAsync(pipeline, path, d.Provider, d.DropType, default);
                }
                return clock.Elapsed.TotalSeconds;
            }

            var first = await SendAsync(0);
            var last = first;
            for (var m = 1; m <= extracts; m++)
            {
                // The view is folded forward as recomputes run after each extract; here once, before the last one.
                if (m == extracts) await YotData.LoadAsync(pipeline.Storage, DemoData.Yot, default, currentView: true);
                last = await SendAsync(m);
            }
            if (extracts == 0) await YotData.LoadAsync(pipeline.Storage, DemoData.Yot, default, currentView: true);

            var engine = pipeline.Get<KpiEngine>();
            async Task<Phase> RecomputeAsync(bool view)
            {
                using var blobs = new BlobCounter();
                ResetPeak();
                var clock = Stopwatch.StartNew();
                var data = await YotData.LoadAsync(pipeline.Storage, DemoData.Yot, default, view);
                await engine.ComputeAsync(DemoData.Yot, DemoData.Period, data, default);
                return new Phase(clock.Elapsed.TotalSeconds, PeakResidentBytes() / 1e6, blobs.Count);
            }
            var full = await RecomputeAsync(view: false);
            var current = await RecomputeAsync(view: true);

            await LocalQueueWorker.DrainAsync(pipeline.Storage, pipeline.Get<KpiRecomputer>(), default);
            var kpis = Stopwatch.StartNew();
            await pipeline.Get<KpiRecomputer>().CurrentAsync(DemoData.Yot, DemoData.Period, default);
            return new Result(children, first, last, full, current, kpis.Elapsed.TotalMilliseconds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The extract ×scale (copies under other case references, without the UPN and ULN, which must stay unique) with
    /// about one row in fifty left out, a different one each month, so every month's file is new.
    /// </summary>
    private static List<string> Scaled(string[] lines, int scale, int month)
    {
        var rows = new List<string> { lines[0] };
        var header = lines[0].Split(',');
        int upn = Array.IndexOf(header, "upn"), uln = Array.IndexOf(header, "uln");
        for (var j = 0; j < scale; j++)
            for (var i = 1; i < lines.Length; i++)
            {
                if (month > 0 && (i + month) % 50 == 0) continue;
                if (j == 0) { rows.Add(lines[i]); continue; }
                var cells = lines[i].Split(',');
                cells[0] += $"-x{j}";
                if (upn >= 0) cells[upn] = "";
                if (uln >= 0) cells[uln] = "";
                rows.Add(string.Join(",", cells));
            }
        return rows;
    }

    private sealed class BlobCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public BlobCounter()
        {
            _listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == PipelineMetrics.MeterName && i.Name == "pipeline.blobs.read") l.EnableMeasurementEvents(i); };
            _listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref _count, v));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Resets the process's peak resident memory (Linux), so each phase's peak is its own.</summary>
    private static void ResetPeak()
    {
        GC.Collect();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static long PeakResidentBytes()
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
