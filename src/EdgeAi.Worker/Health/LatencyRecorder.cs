namespace EdgeAi.Worker.Health;

/// <summary>
/// Keeps the last <c>capacity</c> latency samples (ms) for p50/p99; thread-safe, allocation-free on record.
/// When <see cref="Attach"/>ed, each sample also goes to an observer (the camera's /metrics histogram).
/// </summary>
public sealed class LatencyRecorder(int capacity = 512)
{
    private readonly double[] _samples = new double[capacity];
    private readonly Lock _lock = new();
    private long _count;
    private volatile Action<double>? _observer;

    /// <summary>Also hands every sample to <paramref name="observer"/> (e.g. a prometheus-net histogram's Observe).</summary>
    public void Attach(Action<double> observer) => _observer = observer;

    public long Count => Interlocked.Read(ref _count);

    public void Record(double milliseconds)
    {
        lock (_lock)
        {
            _samples[_count % _samples.Length] = milliseconds;
            _count++;
        }
        _observer?.Invoke(milliseconds);
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
