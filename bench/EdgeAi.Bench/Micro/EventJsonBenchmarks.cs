using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EdgeAi.Models.Events;

namespace EdgeAi.Bench.Micro;

/// <summary>
/// The v1 event on the wire: serialise with the source-generated context (the worker's outbox write) and parse + validate
/// with <see cref="EdgeEventParser.TryParse"/> (Central's consumer: envelope scan, structure check, deserialise, value checks).
/// </summary>
[MemoryDiagnoser]
public class EventJsonBenchmarks
{
    private EdgeEvent _event = null!;
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup()
    {
        _event = SampleEvent.Create(42);
        _json = JsonSerializer.SerializeToUtf8Bytes(_event, EdgeAiJsonContext.Default.EdgeEvent);
        if (!EdgeEventParser.TryParse(_json, out _, out var reason)) throw new InvalidOperationException($"sample event is invalid: {reason}");
    }

    [Benchmark]
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(_event, EdgeAiJsonContext.Default.EdgeEvent);

    [Benchmark]
    public EdgeEvent? ParseAndValidate() => EdgeEventParser.TryParse(_json, out var e, out _) ? e : null;
}

/// <summary>A fully populated valid v1 crowding event (two objects, one evidence reference), as a worker sends it.</summary>
internal static class SampleEvent
{
    public static EdgeEvent Create(long sequence, string deviceId = "edge-01", Guid? eventId = null, DateTimeOffset? time = null)
    {
        var t = time ?? new DateTimeOffset(2026, 11, 22, 8, 30, 0, 120, TimeSpan.Zero);
        return new EdgeEvent
        {
            SchemaVersion = EdgeEventSchema.CurrentVersion,
            EventId = eventId ?? Guid.Parse("01934f6e-8a2b-7c3d-9e4f-a1b2c3d4e5f6"),
            EpisodeId = Guid.Parse("01934f6e-0000-7000-8000-000000000001"),
            Type = EventType.Updated,
            Sequence = sequence,
            DeviceId = deviceId,
            Camera = new CameraInfo("cam-riverside-3", "Riverside 3", 31.2304, 121.4737, "31010400001320000001"),
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
            Frame = new FrameInfo(t, 1920, 1080),
            DetectionTime = t.AddMilliseconds(130),
            PublishTime = t.AddMilliseconds(280),
            Model = new ModelInfo("edgeai-demo", "1.0.0", new string('a', 64)),
            Evidence = [new EvidenceRef("ev-0001", new string('b', 64), 48213, "image/jpeg")],
        };
    }
}
