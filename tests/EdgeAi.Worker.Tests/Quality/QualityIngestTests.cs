using EdgeAi.Models.Devices;
using EdgeAi.Testing;
using EdgeAi.Worker.Quality;
using EdgeAi.Worker.Tests.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Tests.Quality;

/// <summary>
/// The quality diagnosis on frames from the real ingest: RTSP test cameras (GStreamer) → ffmpeg key-frame decode →
/// ONNX Runtime inference → quality check. A frozen clip (one still picture), a black clip and a live test pattern.
/// </summary>
public sealed class QualityIngestTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_FrozenBlackAndLiveCameras_EachDiagnosedAsSuch()
    {
        // The frozen clip is one still picture encoded for 20 s (one key frame per second). Its very first key frame differs
        // from the later ones by encoder settling (mean 0.2-0.4 grey levels), which restarts the frozen clock once per loop,
        // so the clip is long enough for "frozen after 3 s" to be reached between loops; a frozen camera has no such loop.
        var clips = new Dictionary<string, string>
        {
            ["frozen"] = Clips.Frozen(320, 240, fps: 25, seconds: 20),
            ["black"] = Clips.Black(320, 240, fps: 25, seconds: 4),
            ["live"] = Clips.TestPattern(320, 240, fps: 25, seconds: 4, gop: 5),
        };
        await using var server = await RtspCameraServer.StartNewAsync(clips);
        var board = new QualityBoard();
        var options = new QualityOptions { FrozenAfter = TimeSpan.FromSeconds(3) };
        await using var h = new PipelineHarness(clips.Keys.Select(name => PipelineHarness.Camera(name, server.Url(name))).ToList(),
            wrap: (camera, inner) => new QualityCheckingAnalytics(camera.Id, inner, options, board, NullLogger<QualityCheckingAnalytics>.Instance));

        string Describe() => string.Join("; ", clips.Keys.Select(k => $"{k}: frames {h.Frames(k)} flags [{string.Join(",", board.Get(k)?.Flags ?? [])}] {board.Get(k)?.Measurements}"))
                             + $"\n--- rtsp server running={server.IsRunning}\n{server.Log}";

        QualityReport? frozen = null, black = null, live = null;
        await Eventually.UntilAsync(() => (frozen = board.Get("frozen"))?.Flags.Contains(QualityFlagNames.Frozen) == true, Long, Describe);
        await Eventually.UntilAsync(() => (black = board.Get("black"))?.Flags.Contains(QualityFlagNames.Black) == true, Long, Describe);
        await Eventually.UntilAsync(() => h.Frames("live") >= 20 && (live = board.Get("live")) is not null, Long, Describe);

        Assert.Equal([QualityFlagNames.Frozen], frozen!.Flags);
        Assert.Equal([QualityFlagNames.Black], black!.Flags);
        Assert.Empty(live!.Flags);
        Assert.True(frozen.Measurements.FrozenS >= 3);
        Assert.True(black.Measurements.Brightness < 20);
        Assert.Equal(0, live.Measurements.FrozenS);
    }
}
