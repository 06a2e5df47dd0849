using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using YouthJustice.Pipeline.Hosting;

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>
/// The pipeline's counters (<see cref="PipelineMetrics"/>) as this test's own work moved them: test classes run in
/// parallel over the same static meter, so only measurements made in the creating test's async flow count.
/// </summary>
public sealed class CountedMetrics : IDisposable
{
    private static readonly AsyncLocal<CountedMetrics?> Owner = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, long Value, Dictionary<string, string?> Tags)> _seen = new();

    public CountedMetrics()
    {
        Owner.Value = this;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PipelineMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Owner.Value != this) return;
            var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var t in tags) copy[t.Key] = t.Value?.ToString();
            _seen.Enqueue((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    public long Total(string name) => _seen.Where(m => m.Name == name).Sum(m => m.Value);

    public IReadOnlyList<IReadOnlyDictionary<string, string?>> Tags(string name) =>
        _seen.Where(m => m.Name == name).Select(m => (IReadOnlyDictionary<string, string?>)m.Tags).ToList();

    public void Clear() => _seen.Clear();

    public void Dispose() => _listener.Dispose();
}
