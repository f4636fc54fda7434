using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;

namespace EdgeAi.Models.Tests.Devices;

public sealed class DeviceContractsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void DeviceStatus_Online_WireShape()
    {
        var json = JsonSerializer.Serialize(new DeviceStatus(DeviceState.Online, "edge-01", At, "1.0.0"), EdgeAiJsonContext.Default.DeviceStatus);

        Assert.Equal("""{"state":"online","device_id":"edge-01","time":"2026-11-22T08:30:00+00:00","version":"1.0.0"}""", json);
    }

    [Fact]
    public void DeviceHealth_RoundTrip_SnakeCaseFields()
    {
        var health = new DeviceHealth("edge-01", At, 3600.5,
            [new CameraHealth("cam-1", "streaming", 25, 1, 90000, 3600, 12, 2, 0.04, 0, 31.5, 88.2, "CPUExecutionProvider", ["dark"], null)],
            new OutboxHealth(3, 1, 51200, 2.5, 0, 4), "1.0.0");

        var json = JsonSerializer.SerializeToUtf8Bytes(health, EdgeAiJsonContext.Default.DeviceHealth);
        var node = JsonNode.Parse(json)!;
        var back = JsonSerializer.Deserialize(json, EdgeAiJsonContext.Default.DeviceHealth)!;

        var camera = node["cameras"]![0]!;
        foreach (var field in new[] { "camera_id", "state", "fps_in", "fps_analysed", "frames_in", "frames_analysed", "dropped", "reconnects",
                     "last_frame_age_s", "decode_errors", "inference_p50_ms", "inference_p99_ms", "execution_provider", "quality_flags" })
            Assert.True(camera[field] is not null, $"cameras[0].{field} missing in {node}");
        Assert.Equal(4, (long?)node["outbox"]!["shed_evidence"]);
        Assert.Equal(health.Cameras[0].QualityFlags, back.Cameras[0].QualityFlags);
        Assert.Equal(health.Outbox, back.Outbox);
    }

    [Fact]
    public void DeviceCommand_AndReply_RoundTrip()
    {
        var command = new DeviceCommand(UuidV7.New(), DeviceCommandTypes.Verify, "cam-1", "plaza-north", Scenarios.Crowding, UuidV7.New(), At);
        var reply = new CommandReply(command.CommandId, "edge-01", CommandResult.StillPresent,
            [new EvidenceRef("ev-9", new string('c', 64), 100, "image/jpeg")], "11 persons", At);

        var commandJson = JsonSerializer.Serialize(command, EdgeAiJsonContext.Default.DeviceCommand);
        var replyJson = JsonSerializer.Serialize(reply, EdgeAiJsonContext.Default.CommandReply);

        Assert.Equal(command, JsonSerializer.Deserialize(commandJson, EdgeAiJsonContext.Default.DeviceCommand));
        Assert.Contains("\"requested_at\"", commandJson);
        Assert.Contains("\"result\":\"still_present\"", replyJson);
        Assert.Equal(reply.CommandId, JsonSerializer.Deserialize(replyJson, EdgeAiJsonContext.Default.CommandReply)!.CommandId);
    }

    [Fact]
    public void FetchEvidence_AndUnverifiable_RoundTrip()
    {
        var command = new DeviceCommand(UuidV7.New(), DeviceCommandTypes.FetchEvidence, "cam-1", null, null, UuidV7.New(), At) { EvidenceId = "clip-7" };
        var reply = new CommandReply(command.CommandId, "edge-01", CommandResult.Unverifiable, [], "frozen", At);

        var commandJson = JsonSerializer.Serialize(command, EdgeAiJsonContext.Default.DeviceCommand);
        var replyJson = JsonSerializer.Serialize(reply, EdgeAiJsonContext.Default.CommandReply);

        Assert.Contains("\"evidence_id\":\"clip-7\"", commandJson);
        Assert.Equal(command, JsonSerializer.Deserialize(commandJson, EdgeAiJsonContext.Default.DeviceCommand));
        Assert.Contains("\"result\":\"unverifiable\"", replyJson);
        Assert.Equal(CommandResult.Unverifiable, JsonSerializer.Deserialize(replyJson, EdgeAiJsonContext.Default.CommandReply)!.Result);
    }

    [Fact]
    public void NullableFields_AllNull_RoundTrip()
    {
        var command = new DeviceCommand(UuidV7.New(), DeviceCommandTypes.Verify, "cam-1", null, null, null, At);
        var reply = new CommandReply(command.CommandId, "edge-01", CommandResult.Error, [], null, At);
        var camera = new CameraHealth("cam-1", "connecting", 0, 0, 0, 0, 0, 0, null, 0, null, null, null, []);

        Assert.Equal(command, JsonSerializer.Deserialize(JsonSerializer.Serialize(command, EdgeAiJsonContext.Default.DeviceCommand), EdgeAiJsonContext.Default.DeviceCommand));
        Assert.Null(JsonSerializer.Deserialize(JsonSerializer.Serialize(reply, EdgeAiJsonContext.Default.CommandReply), EdgeAiJsonContext.Default.CommandReply)!.Detail);
        var health = new DeviceHealth("edge-01", At, 1, [camera]);
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(health, EdgeAiJsonContext.Default.DeviceHealth), EdgeAiJsonContext.Default.DeviceHealth)!;
        Assert.Null(back.Cameras[0].LastFrameAgeS);
        Assert.Null(back.Outbox);
    }

    [Fact]
    public void DeviceCommand_MissingRequiredField_Throws() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"command_id":"01934f6e-8a2b-7c3d-9e4f-a1b2c3d4e5f6","type":"verify"}""",
            EdgeAiJsonContext.Default.DeviceCommand));
}
