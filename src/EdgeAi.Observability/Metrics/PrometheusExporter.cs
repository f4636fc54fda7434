using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace EdgeAi.Observability.Metrics;

/// <summary>
/// Collects the instruments of the named <see cref="Meter"/>s through a <see cref="MeterListener"/> and writes them
/// in the Prometheus text exposition format 0.0.4 (what <c>/metrics</c> serves). Counters (sync and observable)
/// become <c>counter</c>, up-down counters and gauges become <c>gauge</c>, histograms become <c>histogram</c> with
/// cumulative <c>_bucket{le=…}</c>, <c>_sum</c> and <c>_count</c>. Tags become labels.
/// </summary>
/// <remarks>
/// Thread-safe: measurements of sync instruments may arrive from any thread while a scrape runs. Observable
/// instruments are read at scrape time only, and their series are rebuilt on each scrape so a camera removed by a
/// reload disappears from the output. Bucket bounds come from the histogram's advice
/// (<see cref="InstrumentAdvice{T}.HistogramBucketBoundaries"/>) or <see cref="DefaultBuckets"/>.
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Latency buckets in milliseconds, used when a histogram gives no advice.</summary>
    public static readonly double[] DefaultBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

    private readonly HashSet<string> _meterNames;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _scrapeLock = new();

    /// <param name="meterNames">Only these meters are exported (not the framework's own, e.g. Kestrel's).</param>
    public PrometheusExporter(params string[] meterNames)
    {
        _meterNames = new HashSet<string>(meterNames, StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!_meterNames.Contains(instrument.Meter.Name)) return;
            _instruments[instrument] = new InstrumentState(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, (double)v, tags));
        _listener.Start();
    }

    /// <summary>Content type of <see cref="Scrape"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var state)) state.Record(value, PrometheusText.Labels(tags));
    }

    /// <summary>Reads the observable instruments and renders every series.</summary>
    public string Scrape()
    {
        lock (_scrapeLock)
        {
            foreach (var s in _instruments.Values) if (s.Observable) s.Clear();
            _listener.RecordObservableInstruments();
            var text = new StringBuilder(4096);
            // Instruments of the same name (e.g. one meter per service instance) are merged into one family.
            foreach (var family in _instruments.Values.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
                PrometheusText.WriteFamily(text, family.ToList());
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();
}
