using System.Diagnostics;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// Frames per second of one camera over the last ~10 s, from its cumulative counters. Sampled lazily by whoever
/// reads it (health topic, /api/health, status line) at most once a second, so no timer is needed. Thread-safe.
/// </summary>
internal sealed class RateMeter
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private readonly Queue<(long Timestamp, long In, long Analysed)> _samples = new();
    private readonly Lock _lock = new();

    /// <summary>Records the counters now (if a second has passed) and returns the rates over the window.</summary>
    public (double In, double Analysed) Rates(long framesIn, long framesAnalysed)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (_samples.Count == 0 || Stopwatch.GetElapsedTime(_samples.Last().Timestamp, now) >= TimeSpan.FromSeconds(1))
                _samples.Enqueue((now, framesIn, framesAnalysed));
            while (_samples.Count > 2 && Stopwatch.GetElapsedTime(_samples.Peek().Timestamp, now) > Window) _samples.Dequeue();
            var first = _samples.Peek();
            var seconds = Stopwatch.GetElapsedTime(first.Timestamp, now).TotalSeconds;
            if (seconds < 0.5) return (0, 0);
            return (Math.Round((framesIn - first.In) / seconds, 2), Math.Round((framesAnalysed - first.Analysed) / seconds, 2));
        }
    }
}
