using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Tests.Scenarios;

/// <summary>Builders for scenario tests: zones, tracked objects and a frame loop on the frames' own clock.</summary>
internal static class ScenarioKit
{
    /// <summary>2026-04-01 10:00 in Asia/Shanghai: inside the default spring ban, daytime.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 4, 1, 2, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static ZoneConfig Band(string id, string type, double y1, double y2, double? area = null) => new()
    {
        Id = id,
        Type = type,
        AreaM2 = area,
        Polygon = [[0, y1], [1, y1], [1, y2], [0, y2]],
    };

    /// <summary>A tracked object whose box has its bottom-centre at (<paramref name="x"/>, <paramref name="bottom"/>).</summary>
    public static TrackedObject Obj(long id, string label, float x, float bottom, float w = 0.04f, float h = 0.04f,
        float conf = 0.8f, float moving = 0f, bool confirmed = true) =>
        new(id, label == "person" ? 0 : 1, label, conf, new BoxF(x - w / 2, bottom - h, x + w / 2, bottom),
            T0, T0, 5, confirmed, moving * w, moving, 0, 0);

    public static TrackedObject Person(long id, float x, float bottom, float moving = 0f) => Obj(id, "person", x, bottom, 0.04f, 0.12f, moving: moving);

    /// <summary>Runs frames at <paramref name="from"/>, from+step, … ≤ <paramref name="to"/> (seconds after T0); returns every event.</summary>
    public static List<EpisodeEvent> Run(ScenarioEngine engine, double from, double to, Func<double, TrackedObject[]> objectsAt, double step = 1)
    {
        var events = new List<EpisodeEvent>();
        for (var i = 0; ; i++)
        {
            var s = from + i * step;
            if (s > to + 1e-9) break;
            var result = engine.Process(At(s), 1280, 720, objectsAt(s));
            Assert.Equal(result.Events.Any(e => e.WantsEvidence), result.CaptureEvidence);
            events.AddRange(result.Events);
        }
        return events;
    }

    public static double Seconds(EpisodeEvent e) => (e.FrameTime - T0).TotalSeconds;

    public static ScenarioEngine Engine(params ZoneConfig[] zones) => new("cam-1", new ScenarioConfig { Zones = zones });

    public static ScenarioEngine Engine(ScenarioConfig config) => new("cam-1", config);
}
