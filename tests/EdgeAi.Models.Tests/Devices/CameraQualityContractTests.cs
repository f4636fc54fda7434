using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;

namespace EdgeAi.Models.Tests.Devices;

/// <summary>The quality measurements added to the health contract: optional both ways, so old and new workers and Centrals interoperate.</summary>
public sealed class CameraQualityContractTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 8, 30, 0, TimeSpan.Zero);

    private static CameraHealth Camera(CameraQuality? quality) =>
        new("cam-1", "streaming", 25, 1, 100, 10, 0, 0, 0.2, 0, 30, 40, "CPUExecutionProvider", [QualityFlagNames.Frozen], null, quality);

    [Fact]
    public void DeviceHealth_WithQuality_RoundTripSnakeCase()
    {
        var health = new DeviceHealth("edge-01", At, 10, [Camera(new CameraQuality(120.5, 40, 900, 0.01, 75, 0.1, 0.98))]);

        var json = JsonSerializer.SerializeToUtf8Bytes(health, EdgeAiJsonContext.Default.DeviceHealth);
        var quality = JsonNode.Parse(json)!["cameras"]![0]!["quality"]!;
        var back = JsonSerializer.Deserialize(json, EdgeAiJsonContext.Default.DeviceHealth)!;

        Assert.Equal(75, (double?)quality["frozen_s"]);
        Assert.Equal(0.98, (double?)quality["scene_similarity"]);
        Assert.Equal(health.Cameras[0].Quality, back.Cameras[0].Quality);
    }

    [Fact]
    public void DeviceHealth_QualityOfFirstFrame_NullMeasuresWrittenAndParsed()
    {
        var health = new DeviceHealth("edge-01", At, 10, [Camera(new CameraQuality(3, 1, 0, null, 0, null, null))]);

        var json = JsonSerializer.SerializeToUtf8Bytes(health, EdgeAiJsonContext.Default.DeviceHealth);
        var back = JsonSerializer.Deserialize(json, EdgeAiJsonContext.Default.DeviceHealth)!;

        Assert.Contains("\"change\":null", System.Text.Encoding.UTF8.GetString(json));
        Assert.Equal(health.Cameras[0].Quality, back.Cameras[0].Quality);
    }

    [Fact]
    public void DeviceHealth_WithoutQuality_OmittedAndOlderPayloadStillParses()
    {
        var json = JsonSerializer.Serialize(new DeviceHealth("edge-01", At, 10, [Camera(null)]), EdgeAiJsonContext.Default.DeviceHealth);
        const string older = """
            {"device_id":"edge-01","time":"2026-11-22T08:30:00+00:00","uptime_s":5,"cameras":[{"camera_id":"c","state":"streaming","fps_in":0,"fps_analysed":0,
             "frames_in":1,"frames_analysed":1,"dropped":0,"reconnects":0,"last_frame_age_s":null,"decode_errors":0,"inference_p50_ms":null,
             "inference_p99_ms":null,"execution_provider":null,"quality_flags":[]}]}
            """;

        Assert.DoesNotContain("\"quality\"", json);
        Assert.Null(JsonSerializer.Deserialize(older, EdgeAiJsonContext.Default.DeviceHealth)!.Cameras[0].Quality);
    }
}
