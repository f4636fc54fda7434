using System.Diagnostics;
using System.Threading.Channels;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Tests.RealWorld;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeAi.Worker.Tests.Ingest;

/// <summary>
/// A long-GOP camera: OpenCV's vtest.avi (real CCTV footage, 10 fps, 79.5 s) has one key frame every 25 s. In key-frame mode
/// it is analysed once per 25 s; with <c>decode.max_analysis_interval</c> the ingest notices the spacing and decodes
/// non-key frames at the wanted rate. Real ffmpeg, the real clip (read from ../shared/realworld, never copied).
/// </summary>
public sealed class LongGopIngestTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset ClockStart = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private async Task<(List<double> Times, CameraHealth Health)> IngestAsync(DecodeOptions decode)
    {
        var camera = new CameraConfig { Id = "vtest", Url = RealWorldAssets.Vtest, Decode = decode };
        var channel = Channel.CreateUnbounded<Frame>();
        var health = new CameraHealth(camera.Id);
        var ingest = new CameraIngest(camera, 160, 160, channel.Writer, health, new IngestOptions(), NullLogger.Instance,
            new ClipFrameSource(ClockStart, health, NullLogger.Instance));
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var run = ingest.RunAsync(timeout.Token);
        var times = new List<double>();
        await foreach (var frame in channel.Reader.ReadAllAsync(timeout.Token))
        {
            times.Add((frame.CaptureTime - ClockStart).TotalSeconds);
            frame.Release();
        }
        await run;
        output.WriteLine($"{decode}: {times.Count} frames over 79.5 s of video ({times.Count / 79.5:0.00} analysed per video second), ingest took {watch.Elapsed.TotalSeconds:0.0} s; " +
            $"note: {health.DecodeNote ?? "none"}");
        return (times, health);
    }

    [Fact]
    public async Task KeyframeMode_NoMaxInterval_AnalysedOncePer25sAndHealthSaysWhy()
    {
        var (times, health) = await IngestAsync(new DecodeOptions(DecodeMode.Keyframes));

        Assert.Equal([0, 25, 50, 75], times.Select(t => Math.Round(t)));
        Assert.Contains("key frames 25 s apart", health.DecodeNote);
        Assert.Contains("max_analysis_interval", health.DecodeNote);
    }

    [Fact]
    public async Task KeyframeMode_MaxInterval1s_DecodesNonKeyFramesAtOnePerSecond()
    {
        var (times, health) = await IngestAsync(new DecodeOptions(DecodeMode.Keyframes) { MaxAnalysisInterval = TimeSpan.FromSeconds(1) });

        // One frame per second over the whole clip, the first 25 s included (the full decoder starts again from the clip's start
        // and only the frames already handed on are skipped): strictly increasing, no gap over the interval.
        Assert.InRange(times.Count, 78, 81);
        Assert.Equal(0, times[0], 3);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.InRange(g, 0.5, 1.05));
        Assert.Contains("decoding every frame", health.DecodeNote);
        Assert.Contains("key frames 25 s apart", health.DecodeNote);
    }

    [Fact]
    public async Task LiveRtsp_KeyFramesFurtherApartThanStallTimeout_SwitchesToFullDecodeInsteadOfReconnecting()
    {
        // A live camera with a 20 s GOP: in key-frame mode the stall watchdog (3 s here) fires before a second key frame
        // arrives, so the spacing is never seen; with max_analysis_interval the ingest takes that as the long GOP it is.
        await using var server = await RtspCameraServer.StartNewAsync("cam", Clips.TestPattern(320, 240, fps: 5, seconds: 40, gop: 100));
        var camera = new CameraConfig
        {
            Id = "live", Url = server.Url("cam"),
            // The first frame may take stall + socket timeout: ffmpeg's RTSP probe alone took 5.7 s on an idle machine, and
            // with 3 + 3 s a loaded one never got past it (retried forever); 3 + 20 s leaves the stall after streaming at 3 s.
            Decode = new DecodeOptions(DecodeMode.Keyframes) { MaxAnalysisInterval = TimeSpan.FromSeconds(1), StallTimeout = TimeSpan.FromSeconds(3), SocketTimeout = TimeSpan.FromSeconds(20) },
        };
        var channel = Channel.CreateUnbounded<Frame>();
        var health = new CameraHealth(camera.Id);
        var ingest = new CameraIngest(camera, 64, 64, channel.Writer, health, new IngestOptions(), NullLogger.Instance,
            new LiveFrameSource(health, new IngestOptions(), NullLogger.Instance));
        using var stop = new CancellationTokenSource();
        var run = ingest.RunAsync(stop.Token);
        var times = new List<DateTimeOffset>();
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await foreach (var frame in channel.Reader.ReadAllAsync(enough.Token))
            {
                times.Add(frame.CaptureTime);
                frame.Release();
                if (times.Count == 12) break;
            }
        }
        catch (OperationCanceledException) when (enough.IsCancellationRequested)
        {
        }
        await stop.CancelAsync();
        await run;

        output.WriteLine($"frames at {string.Join(", ", times.Select(t => t.ToString("HH:mm:ss.ff")))}; note: {health.DecodeNote}; reconnects {health.Reconnects}; state {health.State}; last error {health.LastError}");
        Assert.Equal(12, times.Count);
        Assert.Contains("no key frame for 3 s", health.DecodeNote);
        Assert.Equal(0, health.Reconnects);   // not treated as a fault
        // Once the full decoder is under way (it starts at the next key frame, with the frames ffmpeg had buffered: a burst, as
        // long as the decoder took to start — several seconds on a loaded machine), about one frame per second: non-key frames
        // decoded, not one frame per 20 s. The last three gaps are well past the burst.
        var tail = times.TakeLast(4).ToList();
        var gaps = tail.Zip(tail.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        output.WriteLine($"gaps after the switch: {string.Join(", ", gaps.Select(g => g.ToString("0.00")))}; note: {health.DecodeNote}");
        Assert.All(gaps, g => Assert.InRange(g, 0.3, 2.5));
    }
}
