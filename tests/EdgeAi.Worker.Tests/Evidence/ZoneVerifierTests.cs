using System.Buffers;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Publishing;
using EdgeAi.Worker.Quality;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tests.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenCvSharp;

namespace EdgeAi.Worker.Tests.Evidence;

/// <summary>
/// The verification and the evidence source on the camera's analytics loop, frame by frame on a fake clock: when the
/// answer comes (the second frame after the request), what decides it (rule, quality flags), the after-photo, the timeout,
/// and the model-input fallback when a frame's full-resolution picture is missing.
/// </summary>
public sealed class ZoneVerifierTests : IDisposable
{
    private const int W = 96, H = 96;   // model input; the source below is 1280x720, so the content is 96x54
    private readonly string _dir = TestPaths.NewTempDir("verifier");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 2, 0, 0, TimeSpan.Zero));
    private readonly RecordingSink _sink = new();
    private readonly CapturingLoggerProvider _logs = new();
    private long _sequence;

    public void Dispose()
    {
        _logs.Dispose();
        Directory.Delete(_dir, true);
    }

    private ScenarioAnalytics Analytics(ILoggerFactory? loggers = null)
    {
        var camera = EvidencePipeline.Camera("cam", "rtsp://h/cam", "person");
        var store = new EvidenceStore(new EvidenceStoreOptions { Directory = Path.Combine(_dir, "evidence") }, _time);
        return new ScenarioAnalytics("edge-1", camera, camera.Scenarios, new ModelInfo("m", "1", "0"), store, null, _sink, null,
            (loggers ?? _logs.CreateFactory()).CreateLogger<ScenarioAnalytics>());
    }

    /// <summary>A grey 1280x720 frame letterboxed into 96x96, with <paramref name="persons"/> person detections.</summary>
    private AnalysedFrame Frame(int persons = 0, string? fullResolution = null)
    {
        var geometry = LetterboxGeometry.For(1280, 720, W, H);
        var bytes = W * H * 3;
        var buffer = ArrayPool<byte>.Shared.Rent(bytes);
        Array.Fill(buffer, (byte)90, 0, bytes);
        var frame = new Frame("cam", ++_sequence, _time.GetUtcNow(), 0, buffer, bytes, geometry, 1280, 720) { FullResolutionPath = fullResolution };
        var detections = Enumerable.Range(0, persons).Select(i => new Detection.Detection(0, "person", 0.9f, new BoxF(0.2f + 0.2f * i, 0.3f, 0.3f + 0.2f * i, 0.7f))).ToArray();
        _time.Advance(TimeSpan.FromSeconds(1));
        return new AnalysedFrame(frame, detections, "m");
    }

    private static DeviceCommand Verify(string camera = "cam", string zone = "all") =>
        new(UuidV7.New(), DeviceCommandTypes.Verify, camera, zone, global::EdgeAi.Models.Events.Scenarios.Crowding, null, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Verify_AnsweredOnTheSecondFreshFrame_ClearedWithAfterPhotoOfThatFrame()
    {
        var analytics = Analytics();
        var verifier = new ZoneVerifier(null, _time);
        verifier.Register("cam", analytics);
        await analytics.ProcessAsync(Frame(), default);   // before the request

        var answer = verifier.HandleAsync(Verify(), default);
        await analytics.ProcessAsync(Frame(), default);
        Assert.False(answer.IsCompleted);   // one fresh frame is not enough
        await analytics.ProcessAsync(Frame(), default);
        var outcome = await answer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CommandResult.Cleared, outcome.Result);
        var photo = Assert.Single(outcome.Evidence);
        Assert.Equal(EvidenceKinds.After, photo.Ref.Kind);
        Assert.Equal((96, 54), (photo.Ref.Width, photo.Ref.Height));   // no full-resolution file: the model-input content
        Assert.True(photo.Ref.Blurred);
        using var picture = Cv2.ImDecode(photo.Data.ToArray(), ImreadModes.Color);
        Assert.Equal((96, 54), (picture.Width, picture.Height));
    }

    [Fact]
    public async Task Verify_StillPresent_AfterPhotoAndCropShowTheObjects()
    {
        var analytics = Analytics();
        var verifier = new ZoneVerifier(null, _time);
        verifier.Register("cam", analytics);
        var answer = verifier.HandleAsync(Verify(), default);
        await analytics.ProcessAsync(Frame(persons: 2), default);
        await analytics.ProcessAsync(Frame(persons: 2), default);
        var outcome = await answer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CommandResult.StillPresent, outcome.Result);
        Assert.Equal([EvidenceKinds.After, EvidenceKinds.Crop], outcome.Evidence.Select(e => e.Ref.Kind));
    }

    [Theory]
    [InlineData(QualityFlagNames.Black)]
    [InlineData(QualityFlagNames.Frozen)]
    [InlineData(QualityFlagNames.Occluded)]
    [InlineData(QualityFlagNames.SceneChanged)]
    public async Task Verify_CameraCannotSee_UnverifiableNamingTheFlagWithAfterPhoto(string flag)
    {
        var analytics = Analytics();
        var board = new QualityBoard(_time);
        var verifier = new ZoneVerifier(board, _time);
        verifier.Register("cam", analytics);
        var answer = verifier.HandleAsync(Verify(), default);
        await analytics.ProcessAsync(Frame(), default);
        board.Set("cam", new QualityReport([flag], new CameraQuality(10, 1, 1, 0, 100, null, null), _time.GetUtcNow()));
        await analytics.ProcessAsync(Frame(), default);   // nothing detected: without the flag this would be "cleared"
        var outcome = await answer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CommandResult.Unverifiable, outcome.Result);
        Assert.Contains(flag, outcome.Detail);
        Assert.Equal(EvidenceKinds.After, Assert.Single(outcome.Evidence).Ref.Kind);
    }

    [Fact]
    public async Task Verify_OnlyBlurredFlag_StillAnswersCleared()
    {
        var analytics = Analytics();
        var board = new QualityBoard(_time);
        var verifier = new ZoneVerifier(board, _time);
        verifier.Register("cam", analytics);
        board.Set("cam", new QualityReport([QualityFlagNames.Blurred], new CameraQuality(100, 30, 10, 5, 0, null, null), _time.GetUtcNow()));
        var answer = verifier.HandleAsync(Verify(), default);
        await analytics.ProcessAsync(Frame(), default);
        await analytics.ProcessAsync(Frame(), default);
        Assert.Equal(CommandResult.Cleared, (await answer.WaitAsync(TimeSpan.FromSeconds(10))).Result);
    }

    [Fact]
    public async Task Verify_NoFrameWithinTheTimeout_ErrorAfterTheFakeClockPassesIt()
    {
        var analytics = Analytics();
        var verifier = new ZoneVerifier(null, _time, TimeSpan.FromSeconds(30));
        verifier.Register("cam", analytics);
        var answer = verifier.HandleAsync(Verify(), default);
        await analytics.ProcessAsync(Frame(), default);   // one frame only (the clock moves 1 s), then the camera goes quiet
        _time.Advance(TimeSpan.FromSeconds(28));
        await Task.Yield();
        Assert.False(answer.IsCompleted);                 // 29 s
        _time.Advance(TimeSpan.FromSeconds(2));           // 31 s
        var outcome = await answer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CommandResult.Error, outcome.Result);
        Assert.Contains("within 30 s", outcome.Detail);
        Assert.Empty(outcome.Evidence);
    }

    [Fact]
    public async Task Verify_UnknownZone_ErrorAtOnce()
    {
        var verifier = new ZoneVerifier(null, _time);
        verifier.Register("cam", Analytics());
        var outcome = await verifier.HandleAsync(Verify(zone: "nope"), default);
        Assert.Equal(CommandResult.Error, outcome.Result);
    }

    [Fact]
    public async Task Event_FullResolutionFile_SnapshotAtItsSizeWithRefSayingSo()
    {
        var full = Path.Combine(_dir, "r1-00000001.jpg");
        using (var picture = new Mat(720, 1280, MatType.CV_8UC3, new Scalar(90, 90, 90)))
            Cv2.ImWrite(full, picture);
        var analytics = Analytics();
        await analytics.ProcessAsync(Frame(persons: 1, fullResolution: full), default);

        var (evt, blobs) = Assert.Single(_sink.Events);
        Assert.Equal(EventType.Started, evt.Type);
        var snapshot = blobs.Single(b => b.Ref.Kind == EvidenceKinds.Snapshot);
        Assert.Equal((1280, 720), (snapshot.Ref.Width, snapshot.Ref.Height));
        using var decoded = Cv2.ImDecode(snapshot.Data.ToArray(), ImreadModes.Color);
        Assert.Equal((1280, 720), (decoded.Width, decoded.Height));
        var crop = blobs.Single(b => b.Ref.Kind == EvidenceKinds.Crop);
        // The person box is 0.1 x 0.4 of the frame; with the 25 % margin the crop is 0.15 x 0.6: 192 x 432 source pixels.
        Assert.Equal((192, 432), (crop.Ref.Width, crop.Ref.Height));
        Assert.Equal(evt.Evidence, blobs.Select(b => b.Ref));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("model-input frame", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Event_FullResolutionFileMissing_ModelInputSnapshotAndOneWarning()
    {
        var analytics = Analytics();
        await analytics.ProcessAsync(Frame(persons: 1, fullResolution: Path.Combine(_dir, "gone.jpg")), default);
        await analytics.ProcessAsync(Frame(persons: 2, fullResolution: Path.Combine(_dir, "gone2.jpg")), default);
        var verifier = new ZoneVerifier(null, _time);
        verifier.Register("cam", analytics);
        var answer = verifier.HandleAsync(Verify(), default);
        await analytics.ProcessAsync(Frame(persons: 1, fullResolution: Path.Combine(_dir, "gone3.jpg")), default);
        await analytics.ProcessAsync(Frame(persons: 1, fullResolution: Path.Combine(_dir, "gone4.jpg")), default);
        await answer.WaitAsync(TimeSpan.FromSeconds(10));

        var snapshot = _sink.Events.First().Evidence.Single(b => b.Ref.Kind == EvidenceKinds.Snapshot);
        Assert.Equal((96, 54), (snapshot.Ref.Width, snapshot.Ref.Height));
        var warning = Assert.Single(_logs.Lines, l => l.Contains("model-input frame", StringComparison.Ordinal));
        Assert.Contains("(96x54), not the camera's 1280x720", warning);
    }
}
