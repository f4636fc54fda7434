using System.Diagnostics;

namespace EdgeAi.Worker.Health;

/// <summary>
/// Frames per second over the last <see cref="WindowSeconds"/> complete seconds, from per-second buckets in a
/// ring. Ticked once per frame (a lock held for a few instructions: a camera delivers at most tens of frames a
/// second); read by health snapshots. Key-frame mode delivers about one frame a second or less, so the window is
/// long enough to give a steady figure for one frame every 2 s.
/// </summary>
public sealed class FrameRate
{
    public const int WindowSeconds = 20;

    private readonly long[] _second = new long[WindowSeconds + 1];
    private readonly int[] _count = new int[WindowSeconds + 1];
    private readonly long _createdSecond;
    private readonly Func<long> _nowSecond;
    private readonly Lock _lock = new();

    public FrameRate() : this(() => Stopwatch.GetTimestamp() / Stopwatch.Frequency) { }

    /// <param name="nowSecond">The current second on a monotonic clock (tests pass their own).</param>
    public FrameRate(Func<long> nowSecond)
    {
        _nowSecond = nowSecond;
        _createdSecond = nowSecond();
        Array.Fill(_second, long.MinValue);
    }

    public void Tick()
    {
        var now = _nowSecond();
        var slot = (int)(now % _second.Length);
        lock (_lock)
        {
            if (_second[slot] != now)
            {
                _second[slot] = now;
                _count[slot] = 0;
            }
            _count[slot]++;
        }
    }

    /// <summary>Frames per second over the complete seconds of the window (the running second is left out).</summary>
    public double PerSecond()
    {
        var now = _nowSecond();
        var seconds = Math.Min(WindowSeconds, now - _createdSecond);
        if (seconds <= 0) return 0;
        long frames = 0;
        lock (_lock)
        {
            for (var i = 0; i < _second.Length; i++)
                if (_second[i] < now && _second[i] >= now - seconds) frames += _count[i];
        }
        return frames / (double)seconds;
    }
}
