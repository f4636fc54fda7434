using EdgeAi.Models.Events;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Scenarios;

/// <summary>Maps an <see cref="EpisodeEvent"/> to the wire <see cref="EdgeEvent"/>.</summary>
internal static class EpisodeEventMapper
{
    /// <param name="sequence">0 until the outbox assigns it.</param>
    /// <param name="detectionTime">When the rule decided; default the frame's capture time.</param>
    public static EdgeEvent ToEdgeEvent(this EpisodeEvent e, string schemaVersion, string deviceId, CameraInfo camera, ModelInfo model,
        IReadOnlyList<EvidenceRef>? evidence = null, long sequence = 0, DateTimeOffset? detectionTime = null) => new()
    {
        SchemaVersion = schemaVersion,
        EventId = Guid.CreateVersion7(detectionTime ?? e.FrameTime),
        EpisodeId = e.EpisodeId,
        Type = e.Type,
        Sequence = sequence,
        DeviceId = deviceId,
        Camera = camera,
        Scenario = e.Scenario,
        Zone = e.Zone.Info,
        Rule = e.Rule,
        Objects = ToDetectedObjects(e.Objects),
        Frame = new FrameInfo(e.FrameTime.ToUniversalTime(), e.FrameWidth, e.FrameHeight),
        DetectionTime = (detectionTime ?? e.FrameTime).ToUniversalTime(),
        Model = model,
        Evidence = evidence ?? [],
    };

    /// <summary>Most objects one event carries (the schema's limit).</summary>
    public const int MaxObjects = 256;

    /// <summary>Objects as on the wire (at most <see cref="MaxObjects"/>): boxes clamped to 0..1 with x1 &lt; x2 and y1 &lt; y2, rounded to 5 decimals.</summary>
    public static IReadOnlyList<DetectedObject> ToDetectedObjects(IReadOnlyList<TrackedObject> objects)
    {
        var result = new DetectedObject[Math.Min(objects.Count, MaxObjects)];
        for (var i = 0; i < result.Length; i++)
        {
            var o = objects[i];
            var b = o.Box.Clamp01();
            double x1 = Math.Round(b.X1, 5), y1 = Math.Round(b.Y1, 5), x2 = Math.Round(b.X2, 5), y2 = Math.Round(b.Y2, 5);
            if (x2 <= x1) x2 = Math.Min(1, x1 + 1e-5);
            if (x2 <= x1) x1 = x2 - 1e-5;
            if (y2 <= y1) y2 = Math.Min(1, y1 + 1e-5);
            if (y2 <= y1) y1 = y2 - 1e-5;
            result[i] = new DetectedObject(o.Label, Math.Round(Math.Clamp(o.Confidence, 0, 1), 4), [x1, y1, x2, y2], o.TrackId);
        }
        return result;
    }
}
