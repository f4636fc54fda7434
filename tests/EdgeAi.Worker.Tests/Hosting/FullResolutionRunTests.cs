using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using EdgeAi.Testing;
using EdgeAi.Worker.Tests.Cli;
using EdgeAi.Worker.Tests.Delivery;
using EdgeAi.Worker.Tests.Evidence;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeAi.Worker.Tests.Hosting;

/// <summary>
/// The real <c>edgeai run</c> process (default config: full-resolution evidence on) with a real broker and a 1080p RTSP
/// camera: the started event's snapshot arrives on the evidence topic as a 1920x1080 JPEG and its reference says so; a verify
/// command over MQTT is answered with an after-photo at 1920x1080 on the evidence topic, correlated to the command.
/// </summary>
public sealed class FullResolutionRunTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly string _dir = TestPaths.NewTempDir("fullres-run");
    private MosquittoBroker _broker = null!;
    private RtspCameraServer _camera = null!;
    private ServerProcess _worker = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartNewAsync("edge-fr");
        _camera = await RtspCameraServer.StartNewAsync("cam", FullResolutionEvidenceTests.SlidingSquare());
        var config = Path.Combine(_dir, "edgeai.json");
        File.WriteAllText(config, $$"""
            {
              "device_id": "edge-fr",
              "mqtt": { "host": "127.0.0.1", "port": {{_broker.Port}} },
              "outbox": { "path": "outbox.db" },
              "evidence": { "directory": "evidence" },
              "http": { "enabled": false },
              "quality": { "enabled": false },
              "models": [ { "id": "tiny", "manifest": "{{TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json")}}", "threads": 1 } ],
              "cameras": [ {
                "id": "cam", "url": "{{_camera.Url("cam")}}",
                "scenarios": {
                  "zones": [ { "id": "all", "type": "plaza", "polygon": [[0.02, 0.02], [0.98, 0.02], [0.98, 0.98], [0.02, 0.98]] } ],
                  "crowding": { "person_classes": ["bright"], "min_persons": 1, "min_duration": "00:00:00" }
                }
              } ]
            }
            """);
        _worker = ServerProcess.Start("edgeai", "dotnet", [EdgeAiCli.Dll, "run", "--config", config], _dir,
            new Dictionary<string, string> { ["EDGEAI_MQTT_PASSWORD"] = _broker.Passwords["edge-fr"] });
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _camera.DisposeAsync();
        await _broker.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private static (int W, int H) Size(byte[] jpeg)
    {
        using var m = Cv2.ImDecode(jpeg, ImreadModes.Color);
        return (m.Width, m.Height);
    }

    [Fact]
    public async Task Run_1080pCamera_EventSnapshotAndVerifyAfterPhotoAt1920x1080OverMqtt()
    {
        await using var central = await EventConsumer.StartAsync(_broker, Topics.Root + "/edge-fr/#");
        string Describe() => $"{central.Arrivals.Count} events, {central.Other.Count} other\n{_worker.Output}";

        await Eventually.UntilAsync(() => central.Arrivals.Any(e => e.Type == EventType.Started), Patience, Describe);
        var started = central.Arrivals.First(e => e.Type == EventType.Started);
        var snapshotRef = started.Evidence.Single(r => r.Kind == EvidenceKinds.Snapshot);
        Assert.Equal((1920, 1080), (snapshotRef.Width, snapshotRef.Height));
        Assert.Equal("1.1", started.SchemaVersion);
        var snapshot = central.Other.Single(m => m.Topic == Topics.Evidence("edge-fr", snapshotRef.Id));
        Assert.Equal((1920, 1080), Size(snapshot.Payload.ToArray()));
        Assert.Equal(snapshotRef.Bytes, snapshot.Payload.Length);

        var command = new DeviceCommand(UuidV7.New(), DeviceCommandTypes.Verify, "cam", "all", global::EdgeAi.Models.Events.Scenarios.Crowding, null, DateTimeOffset.UtcNow);
        await Eventually.UntilAsync(() => _worker.Output.Contains("Subscribed to edgeai/v1/edge-fr/commands", StringComparison.Ordinal), Patience, Describe);
        await central.Client.PublishAsync(Topics.Commands("edge-fr"), JsonSerializer.SerializeToUtf8Bytes(command, EdgeAiJsonContext.Default.DeviceCommand))
            .WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => central.Other.Any(m => m.Topic == Topics.Replies("edge-fr")), Patience, Describe);
        var reply = JsonSerializer.Deserialize(central.Other.First(m => m.Topic == Topics.Replies("edge-fr")).Payload, EdgeAiJsonContext.Default.CommandReply)!;
        output.WriteLine($"reply {reply.Result}: {reply.Detail}; evidence {string.Join(", ", reply.Evidence.Select(r => $"{r.Kind} {r.Width}x{r.Height} {r.Bytes} B"))}");
        Assert.Equal(CommandResult.StillPresent, reply.Result);
        var afterRef = reply.Evidence.Single(r => r.Kind == EvidenceKinds.After);
        Assert.Equal((1920, 1080), (afterRef.Width, afterRef.Height));
        await Eventually.UntilAsync(() => central.Other.Any(m => m.Topic == Topics.Evidence("edge-fr", afterRef.Id)), Patience, Describe);
        var after = central.Other.First(m => m.Topic == Topics.Evidence("edge-fr", afterRef.Id));
        Assert.Equal(UuidV7.ToBytes(command.CommandId), after.CorrelationData);
        Assert.Equal((1920, 1080), Size(after.Payload.ToArray()));
    }
}
