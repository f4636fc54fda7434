using System.Diagnostics.Metrics;

namespace EdgeAi.Observability.Metrics;

/// <summary>Prometheus metric type of an instrument.</summary>
internal enum MetricKind { Counter, Gauge, Histogram }

/// <summary>
/// The aggregated series of one instrument, keyed by their rendered label set. Sync counters and histograms
/// accumulate; observable instruments report the current value (cumulative for observable counters).
/// Every method locks the instance: measurements arrive on any thread.
/// </summary>
internal sealed class InstrumentState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

    public InstrumentState(Instrument instrument)
    {
        Name = PrometheusText.MetricName(instrument.Name);
        Help = instrument.Description ?? "";
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        Kind = generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>) ? MetricKind.Counter
            : generic == typeof(Histogram<>) ? MetricKind.Histogram
            : MetricKind.Gauge;
        Observable = instrument.IsObservable;
        Buckets = Kind == MetricKind.Histogram ? BucketsOf(instrument) : [];
    }

    public string Name { get; }
    public string Help { get; }
    public MetricKind Kind { get; }
    public bool Observable { get; }
    public double[] Buckets { get; }

    /// <summary>Cumulative for sync counters, last value for everything observable and for gauges.</summary>
    private bool Accumulates => Kind == MetricKind.Counter && !Observable;

    public void Record(double value, string labels)
    {
        lock (_lock)
        {
            if (!_series.TryGetValue(labels, out var s)) _series[labels] = s = new Series(Buckets.Length);
            if (Kind == MetricKind.Histogram)
            {
                var i = 0;
                while (i < Buckets.Length && value > Buckets[i]) i++;
                if (i < Buckets.Length) s.BucketCounts[i]++;
                s.Sum += value;
                s.Count++;
            }
            else if (Accumulates) s.Value += value;
            else s.Value = value;
        }
    }

    public void Clear()
    {
        lock (_lock) _series.Clear();
    }

    /// <summary>A copy of every series, so rendering does not hold the lock.</summary>
    public IReadOnlyList<(string Labels, Series Series)> Snapshot()
    {
        lock (_lock) return _series.Select(kv => (kv.Key, kv.Value.Copy())).ToList();
    }

    private static double[] BucketsOf(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return advised is { Length: > 0 } ? advised.Order().ToArray() : PrometheusExporter.DefaultBuckets;
    }

    /// <summary>One label set's value, or its histogram (non-cumulative bucket counts; rendering sums them).</summary>
    internal sealed class Series(int buckets)
    {
        public double Value;
        public long[] BucketCounts = new long[buckets];
        public double Sum;
        public long Count;

        public Series Copy() => new(0) { Value = Value, BucketCounts = (long[])BucketCounts.Clone(), Sum = Sum, Count = Count };
    }
}
