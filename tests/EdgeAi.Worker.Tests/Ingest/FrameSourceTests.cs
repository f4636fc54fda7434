using System.Collections.Concurrent;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Tests.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeAi.Worker.Tests.Ingest;

/// <summary>
/// The frame-source seam: the same pipeline, the same clip file, and only the <see cref="IFrameSourceFactory"/> differs. A clip
/// source (eval) ends the pipeline at the clip's end with every key frame analysed once on the clip's own clock, nothing
/// dropped however slow the analytics; a live source over the same file stamps wall-clock times, drops what the analytics
/// cannot take, and reads the file again when it ends, until stopped. Real ffmpeg, real ONNX Runtime (the tiny test detector).
/// </summary>
public sealed class FrameSourceTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset ClockStart = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    // 4 s at 25 fps with a key frame every 5 frames: 20 key frames, 0.2 s apart on the clip's clock.
    private static string Clip => Clips.TestPattern(320, 240, fps: 25, seconds: 4, gop: 5);

    private static CameraConfig Camera(string url) => new()
    {
        Id = "clip",
        Url = url,
        // A blocked analytics stage holds the decoder back (clip source): that is back-pressure, not a stalled camera.
        Decode = new DecodeOptions(DecodeMode.Keyframes) { StallTimeout = TimeSpan.FromMinutes(2), SocketTimeout = TimeSpan.FromSeconds(10) },
    };

    /// <summary>Records each frame; holds the first one until <paramref name="release"/> holds, so a faster source fills every queue.</summary>
    private sealed class HoldingAnalytics(Func<bool> release, Func<string> describe) : ICameraAnalytics
    {
        private int _held;

        public ConcurrentQueue<(long Sequence, DateTimeOffset Captured)> Frames { get; } = new();

        public volatile bool Completed;

        public async ValueTask ProcessAsync(AnalysedFrame frame, CancellationToken ct)
        {
            if (Interlocked.Exchange(ref _held, 1) == 0) await Eventually.UntilAsync(release, Long, describe);
            Frames.Enqueue((frame.Frame.Sequence, frame.Frame.CaptureTime));
            frame.Frame.Release();
        }

        public ValueTask CompleteAsync(CancellationToken ct)
        {
            Completed = true;
            return ValueTask.CompletedTask;
        }
    }

    private static OnnxDetector TinyDetector() => new(ModelManifestLoader.Load(TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json")),
        new InferenceOptions { Threads = 1, BatchSize = 4 }, NullLogger.Instance);

    private static WorkerPipeline Pipeline(CameraConfig camera, OnnxDetector detector, IFrameSourceFactory sources, Func<WorkerPipeline, HoldingAnalytics> analytics)
    {
        WorkerPipeline? pipeline = null;
        pipeline = new WorkerPipeline([camera], new Dictionary<string, OnnxDetector> { ["tiny"] = detector }, _ => analytics(pipeline!),
            PipelineHarness.FastIngest, new InferenceOptions { BatchWait = TimeSpan.FromMilliseconds(5) }, NullLoggerFactory.Instance, sources);
        return pipeline;
    }

    private static string Describe(CameraHealth h) =>
        $"state {h.State}, in {h.FramesIn}, analysed {h.FramesAnalysed}, dropped {h.Dropped}, reconnects {h.Reconnects}, last error {h.LastError ?? "none"}";

    [Fact]
    public async Task Run_ClipSource_EndsWithTheClipAndAnalysesEveryKeyFrameOnceOnTheClipClock()
    {
        using var detector = TinyDetector();
        HoldingAnalytics? analytics = null;
        // The first frame is held until the ingest has read 6: with dropping queues that would already be more than they hold.
        var pipeline = Pipeline(Camera(Clip), detector, new ClipFrameSourceFactory(new Dictionary<string, DateTimeOffset> { ["clip"] = ClockStart }),
            p => analytics = new HoldingAnalytics(() => p.Health["clip"].FramesIn >= 6, () => Describe(p.Health["clip"])));
        using var timeout = new CancellationTokenSource(Long);

        await pipeline.RunAsync(timeout.Token);   // ends by itself at the clip's end

        var health = pipeline.Health["clip"];
        output.WriteLine(Describe(health));
        Assert.False(timeout.IsCancellationRequested, "the pipeline did not end with the clip");
        Assert.NotNull(analytics);
        var frames = analytics.Frames.ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(k => k * 200), frames.Select(f => (int)Math.Round((f.Captured - ClockStart).TotalMilliseconds)));
        Assert.Equal(20, frames.Select(f => f.Sequence).Distinct().Count());
        Assert.Equal(0, health.Dropped);
        Assert.Equal(0, health.Reconnects);
        Assert.Equal(20, health.FramesAnalysed);
        Assert.True(analytics.Completed, "open episodes were not completed at the clip's end");
        Assert.Equal(CameraState.Stopped, health.State);
    }

    [Fact]
    public async Task Run_LiveSourceOverTheSameClip_StampsWallClockDropsWhatAnalyticsCannotTakeAndReadsAgainUntilStopped()
    {
        using var detector = TinyDetector();
        HoldingAnalytics? analytics = null;
        var before = DateTimeOffset.UtcNow;
        // The first frame is held until the whole clip has been read: a live source does not wait for the analytics.
        var pipeline = Pipeline(Camera(Clip), detector, new LiveFrameSourceFactory(),
            p => analytics = new HoldingAnalytics(() => p.Health["clip"].FramesIn >= 20, () => Describe(p.Health["clip"])));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => pipeline.RunAsync(stop.Token));
        try
        {
            var health = pipeline.Health["clip"];
            // The file ended and was opened again (a live camera reconnects), and the pipeline is still running.
            await Eventually.UntilAsync(() => health.Reconnects >= 1 && analytics?.Frames.IsEmpty == false, Long, () => Describe(health));
            Assert.False(run.IsCompleted, "a live pipeline ended by itself");
            output.WriteLine(Describe(health));
            Assert.True(health.Dropped > 0, $"nothing dropped while the analytics held a frame: {Describe(health)}");
            Assert.All(analytics!.Frames, f => Assert.InRange(f.Captured, before, DateTimeOffset.UtcNow));
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Long);
        }
        Assert.True(analytics.Completed);
    }

    [Fact]
    public async Task Run_MissingFile_ClipSourceReportsItAndEnds_LiveSourceRetries()
    {
        var missing = Path.Combine(TestPaths.NewTempDir("frame-source"), "no-such-clip.mp4");
        using var detector = TinyDetector();

        var clip = Pipeline(Camera(missing), detector, new ClipFrameSourceFactory(new Dictionary<string, DateTimeOffset> { ["clip"] = ClockStart }),
            p => new HoldingAnalytics(() => true, () => ""));
        await clip.RunAsync(CancellationToken.None).WaitAsync(Long);
        var clipHealth = clip.Health["clip"];
        output.WriteLine($"clip source: {Describe(clipHealth)}");
        Assert.Equal(0, clipHealth.Reconnects);
        Assert.Equal(0, clipHealth.FramesIn);
        Assert.Contains("No such file", clipHealth.LastError, StringComparison.OrdinalIgnoreCase);

        var live = Pipeline(Camera(missing), detector, new LiveFrameSourceFactory(), p => new HoldingAnalytics(() => true, () => ""));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => live.RunAsync(stop.Token));
        var liveHealth = live.Health["clip"];
        await Eventually.UntilAsync(() => liveHealth.Reconnects >= 2, Long, () => Describe(liveHealth));
        output.WriteLine($"live source: {Describe(liveHealth)}");
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await run.WaitAsync(Long);
    }

    [Fact]
    public void Create_ClipFactoryWithoutTheCamerasClockStart_SaysWhichCamera()
    {
        var factory = new ClipFrameSourceFactory(new Dictionary<string, DateTimeOffset> { ["other"] = ClockStart });

        var error = Assert.Throws<ArgumentException>(() => factory.Create(Camera(Clip), new CameraHealth("clip"), new IngestOptions(), NullLogger.Instance));

        Assert.Contains("camera clip", error.Message);
    }
}
