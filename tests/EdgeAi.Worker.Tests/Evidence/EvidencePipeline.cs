using System.Collections.Concurrent;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Publishing;
using EdgeAi.Worker.Quality;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tests.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace EdgeAi.Worker.Tests.Evidence;

/// <summary>Records every event with its evidence bytes.</summary>
internal sealed class RecordingSink : IEventSink
{
    public ConcurrentQueue<(EdgeEvent Event, IReadOnlyList<EvidenceBlob> Evidence)> Events { get; } = new();

    public ValueTask EmitAsync(EdgeEvent evt, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct)
    {
        Events.Enqueue((evt, evidence.Select(b => b with { Data = b.Data.ToArray() }).ToList()));
        return ValueTask.CompletedTask;
    }
}

/// <summary>What the analytics stage got for one frame: the model frame's content (BGR, padding removed) and the bytes of
/// its full-resolution file, read as the frame reached analytics.</summary>
internal sealed record TappedFrame(DateTimeOffset Time, Mat Model, byte[]? Full, string? FullPath);

/// <summary>Keeps a copy of every analysed frame's pictures before handing it to the real analytics.</summary>
internal sealed class FrameTap(ICameraAnalytics inner, ConcurrentQueue<TappedFrame> frames) : ICameraAnalytics
{
    public async ValueTask ProcessAsync(AnalysedFrame frame, CancellationToken ct)
    {
        var f = frame.Frame;
        var rgb = FramePixels.ContentToRgb(f.Data.Span, f.Geometry);
        using var header = Mat.FromPixelData(f.Geometry.ContentHeight, f.Geometry.ContentWidth, MatType.CV_8UC3, rgb);
        var bgr = new Mat();
        Cv2.CvtColor(header, bgr, ColorConversionCodes.RGB2BGR);
        byte[]? full = null;
        if (f.FullResolutionPath is { } p && File.Exists(p)) full = await File.ReadAllBytesAsync(p, ct);
        frames.Enqueue(new TappedFrame(f.CaptureTime, bgr, full, f.FullResolutionPath));
        await inner.ProcessAsync(frame, ct);
    }

    public ValueTask CompleteAsync(CancellationToken ct) => inner.CompleteAsync(ct);
}

/// <summary>
/// The worker's real per-camera chain — RTSP → ffmpeg (full-resolution split on) → ONNX Runtime → quality diagnosis →
/// scenario rules → evidence — with a <see cref="ZoneVerifier"/> over it, as <c>edgeai run</c> wires it.
/// </summary>
internal sealed class EvidencePipeline : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly OnnxDetector _detector;

    public EvidencePipeline(string manifestPath, IReadOnlyList<CameraConfig> cameras, bool fullResolution = true, QualityOptions? quality = null,
        IFrameSourceFactory? sources = null, ILoggerFactory? loggers = null)
    {
        Dir = TestPaths.NewTempDir("evidence-pipeline");
        var manifest = ModelManifestLoader.Load(manifestPath);
        _detector = new OnnxDetector(manifest, new InferenceOptions { Threads = 1, BatchSize = 2 }, NullLogger.Instance);
        var store = new EvidenceStore(new EvidenceStoreOptions { Directory = Path.Combine(Dir, "evidence") });
        var model = new ModelInfo(manifest.Name, manifest.Version, manifest.Sha256);
        Verifier = new ZoneVerifier(Quality);
        var ingest = PipelineHarness.FastIngest with { FullResolutionRoot = fullResolution ? Path.Combine(Dir, "frames") : null };
        loggers ??= NullLoggerFactory.Instance;
        Pipeline = new WorkerPipeline(cameras, new Dictionary<string, OnnxDetector> { ["m"] = _detector }, camera =>
            {
                var scenarios = Verifier.Register(camera.Id, new ScenarioAnalytics("edge-1", camera, camera.Scenarios, model, store, null, Sink, null,
                    loggers.CreateLogger<ScenarioAnalytics>()));
                var tapped = new FrameTap(scenarios, Frames.GetOrAdd(camera.Id, _ => new ConcurrentQueue<TappedFrame>()));
                return new QualityCheckingAnalytics(camera.Id, tapped, quality ?? new QualityOptions(), Quality, NullLogger<QualityCheckingAnalytics>.Instance);
            },
            ingest, new InferenceOptions { BatchWait = TimeSpan.FromMilliseconds(5) }, loggers, sources);
        Run = Task.Run(() => Pipeline.RunAsync(_stop.Token));
    }

    public string Dir { get; }

    public WorkerPipeline Pipeline { get; }

    public Task Run { get; }

    public RecordingSink Sink { get; } = new();

    public QualityBoard Quality { get; } = new();

    public ZoneVerifier Verifier { get; }

    public ConcurrentDictionary<string, ConcurrentQueue<TappedFrame>> Frames { get; } = new();

    public int FrameCount(string camera) => Frames.TryGetValue(camera, out var q) ? q.Count : 0;

    public string Describe() => string.Join("; ", Pipeline.Health.Values.Select(x => x.Snapshot()).Select(s =>
        $"{s.CameraId} {s.State} in={s.FramesIn} analysed={s.FramesAnalysed} err={s.LastError} flags=[{string.Join(",", Quality.Get(s.CameraId)?.Flags ?? [])}]"))
        + $"; events {Sink.Events.Count}";

    /// <summary>A camera whose zone covers the frame, with a crowding rule on <paramref name="cls"/> that fires on one object at once.</summary>
    public static CameraConfig Camera(string id, string url, string cls, bool blur = true) => PipelineHarness.Camera(id, url, TimeSpan.FromSeconds(8)) with
    {
        Scenarios = new ScenarioConfig
        {
            Zones = [new ZoneConfig { Id = "all", Type = ZoneTypes.Plaza, Polygon = [[0.02, 0.02], [0.98, 0.02], [0.98, 0.98], [0.02, 0.98]] }],
            Crowding = new CrowdingRuleConfig { PersonClasses = [cls], MinPersons = 1, MinDuration = TimeSpan.Zero, PrivacyBlur = blur },
        },
    };

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Run.WaitAsync(TimeSpan.FromSeconds(60));
        _detector.Dispose();
        _stop.Dispose();
        foreach (var q in Frames.Values)
            foreach (var f in q) f.Model.Dispose();
        try { Directory.Delete(Dir, true); }
        catch (IOException) { }
    }
}
