using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeAi.Worker.Health;

/// <summary>
/// Keeps the last <c>capacity</c> latency samples (ms) for p50/p99; thread-safe, allocation-free on record.
/// When <see cref="Attach"/>ed, each sample also goes to a metrics histogram (Prometheus /metrics).
/// </summary>
public sealed class LatencyRecorder(int capacity = 512)
{
    private readonly double[] _samples = new double[capacity];
    private readonly Lock _lock = new();
    private long _count;
    private volatile Histogram<double>? _histogram;
    private TagList _tags;

    /// <summary>Also records every sample into <paramref name="histogram"/> with <paramref name="tags"/> (e.g. camera=…).</summary>
    public void Attach(Histogram<double> histogram, TagList tags)
    {
        _tags = tags;
        _histogram = histogram;
    }

    public long Count => Interlocked.Read(ref _count);

    public void Record(double milliseconds)
    {
        lock (_lock)
        {
            _samples[_count % _samples.Length] = milliseconds;
            _count++;
        }
        _histogram?.Record(milliseconds, _tags);
    }

    /// <summary>Percentile (0..100) over the retained samples; 0 when none.</summary>
    public double Percentile(double p)
    {
        double[] copy;
        lock (_lock)
        {
            var n = (int)Math.Min(_count, _samples.Length);
            if (n == 0) return 0;
            copy = _samples[..n];
        }
        Array.Sort(copy);
        var idx = (int)Math.Ceiling(p / 100 * copy.Length) - 1;
        return copy[Math.Clamp(idx, 0, copy.Length - 1)];
    }
}
