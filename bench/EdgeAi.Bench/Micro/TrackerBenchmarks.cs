using BenchmarkDotNet.Attributes;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Bench.Micro;

/// <summary>
/// One <see cref="ObjectTracker.Update"/> with 50 confirmed tracks and 50 detections that moved a little since the
/// last analysed frame (one frame per second, as in key-frame mode). The tracker is warmed up first, so this is the
/// steady state: the allocation column should read 0.
/// </summary>
[MemoryDiagnoser]
public class TrackerBenchmarks
{
    private const int Objects = 50;
    private const int Period = 64;
    private readonly Detection[][] _frames = new Detection[Period][];
    private ObjectTracker _tracker = null!;
    private DateTimeOffset _time = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var objects = Enumerable.Range(0, Objects).Select(i => (X: 0.05f + (i % 10) * 0.09f, Y: 0.1f + (i / 10) * 0.17f, Phase: random.NextSingle() * 6f)).ToArray();
        for (var f = 0; f < Period; f++)
        {
            // Periodic motion, so cycling through the frames never makes a jump.
            _frames[f] = objects.Select((o, i) =>
            {
                var a = 2 * MathF.PI * f / Period + o.Phase;
                var cx = o.X + 0.01f * MathF.Sin(a);
                var cy = o.Y + 0.005f * MathF.Cos(a);
                return new Detection(i % 2, i % 2 == 0 ? "person" : "litter", 0.6f + 0.3f * ((i * 7 + f) % 10) / 10f, BoxF.FromCenter(cx, cy, 0.03f, 0.08f));
            }).ToArray();
        }
        _tracker = new ObjectTracker();
        for (var i = 0; i < 2 * Period; i++) Step();
        if (_tracker.TrackCount != Objects) throw new InvalidOperationException($"warm-up left {_tracker.TrackCount} tracks, expected {Objects}");
    }

    [Benchmark]
    public int Update50() => Step();

    private int Step()
    {
        _time = _time.AddSeconds(1);
        var n = _tracker.Update(_frames[_frame++ % Period], _time).Count;
        return n;
    }
}
