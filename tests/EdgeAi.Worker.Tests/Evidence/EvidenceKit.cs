using EdgeAi.Models.Events;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;
using OpenCvSharp;

namespace EdgeAi.Worker.Tests.Evidence;

internal static class EvidenceKit
{
    public static readonly DateTimeOffset T0 = new(2026, 4, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Deterministic noise: every pixel differs from its neighbours, so any blur changes it.</summary>
    public static byte[] Noise(int width, int height, int seed = 1)
    {
        var rgb = new byte[width * height * 3];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }

    /// <summary><see cref="Noise"/> as a BGR Mat (a copy; the caller disposes it).</summary>
    public static Mat NoiseMat(int width, int height, int seed = 1)
    {
        using var header = Mat.FromPixelData(height, width, MatType.CV_8UC3, Noise(width, height, seed));
        return header.Clone();
    }

    public static TrackedObject Obj(long id, string label, BoxF box, float conf = 0.9f) =>
        new(id, label == "person" ? 0 : 1, label, conf, box, T0, T0, 3, true, 0, 0, 0, 0);

    public static EpisodeEvent Episode(IReadOnlyList<TrackedObject> objects, bool blur, double[][]? polygon = null, EventType type = EventType.Started)
    {
        var zone = new Zone(new ZoneConfig { Id = "z", Type = ZoneTypes.Plaza, Polygon = polygon ?? [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]] }, 0);
        return new EpisodeEvent(type, Guid.CreateVersion7(T0), "cam-1", "crowding", zone,
            new RuleEvaluation("crowding.min_persons", new Dictionary<string, double>(), new Dictionary<string, double>()),
            objects, T0, 1280, 720, T0, blur);
    }
}
