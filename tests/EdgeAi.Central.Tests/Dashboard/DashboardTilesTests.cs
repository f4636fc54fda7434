using EdgeAi.Central.Api;
using EdgeAi.Central.Devices;
using EdgeAi.Central.Storage;

namespace EdgeAi.Central.Tests.Dashboard;

public sealed class DashboardTilesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static string Camera(string id, string state = "streaming", double? frameAge = 0.5, string? flag = null, string? error = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["camera_id"] = id, ["state"] = state, ["fps_in"] = 25, ["fps_analysed"] = 1, ["frames_in"] = 100, ["frames_analysed"] = 10,
            ["dropped"] = 2, ["reconnects"] = 1, ["last_frame_age_s"] = frameAge, ["decode_errors"] = 0, ["inference_p50_ms"] = 10,
            ["inference_p99_ms"] = 20, ["execution_provider"] = "cpu", ["quality_flags"] = flag is null ? Array.Empty<string>() : [flag],
            ["last_error"] = error, ["quality"] = new { brightness = 120, contrast = 40, sharpness = 900, frozen_s = 0 },
        });

    private static DeviceRow Device(string id, bool? online, double healthAgeS, params string[] cameras) => new()
    {
        DeviceId = id,
        Online = online is null ? null : online.Value ? 1 : 0,
        Health = $$"""{"device_id":"{{id}}","time":"2026-11-22T08:00:00Z","uptime_s":5,"cameras":[{{string.Join(",", cameras)}}]}""",
        HealthAt = UnixMs.From(Now.AddSeconds(-healthAgeS)),
    };

    private static List<DashboardTile> Build(params DeviceRow[] devices) => DashboardTiles.Build(devices, new Dictionary<(string, string), string>(),
        new Dictionary<(string, string), string> { [("edge-01", "a")] = "ev-1.snapshot" }, Now);

    [Fact]
    public void Build_StreamingCameraWithFreshHealth_HealthyWithCountersAndThumbnail()
    {
        var tile = Assert.Single(Build(Device("edge-01", true, 3, Camera("a"))));

        Assert.Equal(DashboardTiles.Healthy, tile.Health);
        Assert.Empty(tile.Problems);
        Assert.Equal((25.0, 1.0, 2L, 1L, 0.5), (tile.FpsIn!.Value, tile.FpsAnalysed!.Value, tile.Dropped!.Value, tile.Reconnects!.Value, tile.LastFrameAgeS!.Value));
        Assert.Equal("/api/v1/evidence/ev-1.snapshot", tile.Thumbnail);
        Assert.Equal(900, tile.Quality!.Value.GetProperty("sharpness").GetDouble());
        Assert.Equal("a", tile.Name);   // no name from events yet
    }

    [Fact]
    public void Build_ProblemCameras_UnhealthyFirstThenDegradedEachWithReason()
    {
        var tiles = Build(
            Device("edge-01", true, 3, Camera("a"), Camera("b", flag: "frozen"), Camera("c", state: "backoff", error: "connection refused"), Camera("d", frameAge: 40)),
            Device("edge-02", false, 3, Camera("e")),
            Device("edge-03", true, 120, Camera("f")));

        Assert.Equal(["edge-01/c", "edge-01/d", "edge-02/e", "edge-03/f", "edge-01/b", "edge-01/a"], tiles.Select(t => $"{t.DeviceId}/{t.CameraId}"));
        Assert.Equal(["stream backoff: connection refused"], tiles[0].Problems);
        Assert.Equal(["no frame for 40 s"], tiles[1].Problems);
        Assert.Equal(["gateway offline"], tiles[2].Problems);
        Assert.Equal(["no health report for 120 s"], tiles[3].Problems);
        Assert.All(tiles.Take(4), t => Assert.Equal(DashboardTiles.Unhealthy, t.Health));
        Assert.Equal(DashboardTiles.Degraded, tiles[4].Health);
        Assert.Equal(["video frozen"], tiles[4].Problems);
        Assert.Equal(DashboardTiles.Healthy, tiles[5].Health);
    }

    [Fact]
    public void Build_DeviceWithoutOrWithBrokenHealth_NoTiles()
    {
        var none = new DeviceRow { DeviceId = "edge-09", Online = 1 };
        var broken = new DeviceRow { DeviceId = "edge-08", Online = 1, Health = "{not json", HealthAt = UnixMs.From(Now) };

        Assert.Empty(Build(none, broken));
    }
}
