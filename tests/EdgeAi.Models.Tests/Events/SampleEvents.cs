using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAi.Models.Events;

namespace EdgeAi.Models.Tests.Events;

/// <summary>A fully populated valid v1 event and helpers to mutate its JSON.</summary>
internal static class SampleEvents
{
    public static EdgeEvent Crowding(long sequence = 42) => new()
    {
        SchemaVersion = EdgeEventSchema.CurrentVersion,
        EventId = Guid.Parse("01934f6e-8a2b-7c3d-9e4f-a1b2c3d4e5f6"),
        EpisodeId = Guid.Parse("01934f6e-0000-7000-8000-000000000001"),
        Type = EventType.Started,
        Sequence = sequence,
        DeviceId = "edge-01",
        Camera = new CameraInfo("cam-riverside-3", "滨江路3号 Riverside 3", 31.2304, 121.4737, "31010400001320000001"),
        Scenario = Scenarios.Crowding,
        Zone = new ZoneInfo("plaza-north", "plaza", "North plaza", 420.5),
        Rule = new RuleEvaluation("crowding.min_persons",
            new Dictionary<string, double> { ["min_persons"] = 8, ["min_duration_s"] = 20 },
            new Dictionary<string, double> { ["persons"] = 11, ["duration_s"] = 23.5 }),
        Objects =
        [
            new DetectedObject("person", 0.91, [0.10, 0.20, 0.15, 0.40], 17),
            new DetectedObject("person", 0.87, [0.30, 0.22, 0.36, 0.45]),
        ],
        Frame = new FrameInfo(new DateTimeOffset(2026, 11, 22, 8, 30, 0, 120, TimeSpan.Zero), 1920, 1080),
        DetectionTime = new DateTimeOffset(2026, 11, 22, 8, 30, 0, 250, TimeSpan.Zero),
        PublishTime = new DateTimeOffset(2026, 11, 22, 8, 30, 0, 400, TimeSpan.Zero),
        Model = new ModelInfo("edgeai-demo-yolov8n", "2026.11.1", new string('a', 64)),
        Evidence = [new EvidenceRef("ev-0001", new string('b', 64), 48213, "image/jpeg")],
    };

    public static byte[] Json(EdgeEvent evt) => JsonSerializer.SerializeToUtf8Bytes(evt, EdgeAiJsonContext.Default.EdgeEvent);

    /// <summary>The sample as a mutable JSON tree, changed by <paramref name="mutate"/>, as UTF-8.</summary>
    public static byte[] Mutated(Action<JsonObject> mutate)
    {
        var node = JsonNode.Parse(Json(Crowding()))!.AsObject();
        mutate(node);
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
