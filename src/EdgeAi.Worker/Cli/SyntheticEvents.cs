using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Outbox;
using ScenarioNames = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Cli;

/// <summary>Valid, varied v1 events without a camera: for the load generator, delivery tests and benchmarks. Not thread-safe.</summary>
internal sealed class SyntheticEvents(string deviceId, int evidenceBytes = 0, TimeProvider? time = null, int seed = 1)
{
    private static readonly string[] ZoneTypes = ["street", "road", "water", "plaza"];
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Random _random = new(seed);
    private Guid _episode;
    private int _index;

    /// <summary>The next event (sequence 0: the outbox assigns it) and its evidence blob when evidence was asked for.</summary>
    public (EdgeEvent Event, IReadOnlyList<EvidenceBlob> Evidence) Next()
    {
        var i = _index++;
        var now = _time.GetUtcNow();
        var step = i % 5;   // episodes of five: started, three updates, ended
        if (step == 0) _episode = UuidV7.New(_time);
        var scenario = ScenarioNames.All[i / 5 % ScenarioNames.All.Count];
        var objects = Enumerable.Range(0, 1 + _random.Next(3)).Select(_ =>
        {
            var x = Math.Round(_random.NextDouble() * 0.8, 4);
            var y = Math.Round(_random.NextDouble() * 0.8, 4);
            return new DetectedObject(scenario == ScenarioNames.Crowding ? "person" : "litter", Math.Round(0.5 + _random.NextDouble() * 0.5, 3),
                [x, y, Math.Round(x + 0.05 + _random.NextDouble() * 0.1, 4), Math.Round(y + 0.05 + _random.NextDouble() * 0.1, 4)], _random.Next(1, 10_000));
        }).ToList();
        var eventId = UuidV7.New(_time);
        IReadOnlyList<EvidenceBlob> evidence = [];
        if (evidenceBytes > 0 && step != 4)
        {
            var data = new byte[evidenceBytes];
            _random.NextBytes(data);
            evidence = [EvidenceBlob.Create($"ev-{eventId:N}", data)];
        }
        var evt = new EdgeEvent
        {
            SchemaVersion = EdgeEventSchema.CurrentVersion,
            EventId = eventId,
            EpisodeId = _episode,
            Type = step switch { 0 => EventType.Started, 4 => EventType.Ended, _ => EventType.Updated },
            Sequence = 0,
            DeviceId = deviceId,
            Camera = new CameraInfo($"sim-cam-{i / 5 % 4}", $"Simulated camera {i / 5 % 4}", 31.2304, 121.4737, "31010400001320000001"),
            Scenario = scenario,
            Zone = new ZoneInfo($"zone-{i / 5 % 3}", ZoneTypes[i / 5 % ZoneTypes.Length], "Simulated zone", 250),
            Rule = new RuleEvaluation($"{scenario}.default",
                new Dictionary<string, double> { ["min_duration_s"] = 20, ["min_confidence"] = 0.5 },
                new Dictionary<string, double> { ["duration_s"] = 20 + step * 5, ["objects"] = objects.Count }),
            Objects = objects,
            Frame = new FrameInfo(now.AddMilliseconds(-120), 1920, 1080),
            DetectionTime = now,
            Model = new ModelInfo("edgeai-demo-yolov8n", "sim", "0000000000000000000000000000000000000000000000000000000000000000"),
            Evidence = evidence.Select(b => b.Ref).ToList(),
        };
        return (evt, evidence);
    }
}
