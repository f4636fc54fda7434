using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Hosting;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Tests.Delivery;
using EdgeAi.Worker.Tests.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeAi.Worker.Tests.Observability;

/// <summary>What the systemd watchdog counts as a hung pipeline (frames arriving, none analysed) and what it does not.</summary>
public sealed class WorkerProgressTests : IDisposable
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);
    private readonly OnnxDetector _detector = new(ModelManifestLoader.Load(TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json")),
        new InferenceOptions { Threads = 1 }, NullLogger.Instance);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T00:00:00Z"));
    private readonly CameraHealth _camera;
    private readonly WorkerProgress _progress;

    public WorkerProgressTests()
    {
        var cameras = new[] { PipelineHarness.Camera("cam-1", "rtsp://127.0.0.1:1/x") };
        var state = new WorkerState(new WorkerConfig { DeviceId = "edge-p", Cameras = cameras, Watchdog = new WatchdogConfig { PipelineStall = Stall } });
        Assert.Equal("loading models", new WorkerProgress(state, _time).Check().Status);
        var pipeline = new WorkerPipeline(cameras, new Dictionary<string, OnnxDetector> { ["tiny"] = _detector },
            _ => throw new InvalidOperationException("not started"), new IngestOptions(), new InferenceOptions(), NullLoggerFactory.Instance);
        state.PipelineStarted(pipeline);
        _camera = pipeline.Health["cam-1"];
        _progress = new WorkerProgress(state, _time);
    }

    public void Dispose() => _detector.Dispose();

    /// <summary>One watchdog period: <paramref name="arrive"/> frames come in, <paramref name="analyse"/> go through the detector.</summary>
    private string? Period(int arrive, int analyse, TimeSpan? length = null)
    {
        for (var i = 0; i < arrive; i++) _camera.FrameIn();
        for (var i = 0; i < analyse; i++) _camera.FrameAnalysed();
        _time.Advance(length ?? TimeSpan.FromSeconds(15));
        return _progress.Check().Stalled;
    }

    [Fact]
    public void Check_FramesArriveButNoneAnalysed_StalledOnlyAfterTheLimit()
    {
        Assert.Null(Period(2, 2));   // the last analysed frame is seen at this check
        Assert.Null(Period(2, 0));
        Assert.Null(Period(2, 0));
        Assert.Null(Period(2, 0));   // 45 s
        Assert.Equal("frames arriving but none analysed for 60 s", Period(2, 0));
        Assert.Null(Period(2, 1));   // moves again
    }

    [Fact]
    public void Check_CameraOfflineOrIdle_NeverStalled()
    {
        Assert.Null(Period(3, 3));
        for (var i = 0; i < 10; i++) Assert.Null(Period(0, 0));   // no frames for 150 s: the camera's problem, not a hang
        Assert.Null(Period(0, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Check_HungThenCamerasPause_StaysStalledUntilAFrameIsAnalysed()
    {
        Assert.Null(Period(2, 2));
        for (var i = 0; i < 3; i++) Assert.Null(Period(2, 0));
        Assert.NotNull(Period(2, 0));   // hung: frames arrive, none analysed for 60 s
        // The camera pauses too (a stream hiccup): the wedged stage is still wedged, so pings stay withheld.
        for (var i = 0; i < 6; i++) Assert.StartsWith("frames arriving but none analysed", Period(0, 0));
        Assert.Null(Period(1, 1));      // a frame analysed: it moves again
        Assert.Null(Period(0, 0));
    }
}
