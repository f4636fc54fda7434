using System.Collections.Concurrent;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Tests.Pipeline;

/// <summary>Records what reaches each camera's analytics stage.</summary>
internal sealed class RecordingAnalytics(string cameraId, ConcurrentDictionary<string, CameraRecord> records) : ICameraAnalytics
{
    public ValueTask ProcessAsync(AnalysedFrame frame, CancellationToken ct)
    {
        var r = records.GetOrAdd(cameraId, _ => new CameraRecord());
        Interlocked.Increment(ref r.Frames);
        Interlocked.Add(ref r.Detections, frame.Detections.Count);
        r.LastSize = (frame.Frame.SourceWidth, frame.Frame.SourceHeight);
        frame.Frame.Release();
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(CancellationToken ct)
    {
        records.GetOrAdd(cameraId, _ => new CameraRecord()).Completed = true;
        return ValueTask.CompletedTask;
    }
}

internal sealed class CameraRecord
{
    public long Frames;
    public long Detections;
    public (int W, int H) LastSize;
    public bool Completed;
}

/// <summary>A pipeline over real RTSP test cameras with the tiny test detector.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly OnnxDetector _detector;

    /// <param name="wrap">Optional decorator around each camera's recording analytics (e.g. the quality diagnosis).</param>
    public PipelineHarness(IReadOnlyList<CameraConfig> cameras, IngestOptions? ingest = null, Func<CameraConfig, ICameraAnalytics, ICameraAnalytics>? wrap = null)
    {
        var manifest = ModelManifestLoader.Load(TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json"));
        _detector = new OnnxDetector(manifest, new InferenceOptions { Threads = 1, BatchSize = 4 }, NullLogger.Instance);
        Pipeline = new WorkerPipeline(cameras, new Dictionary<string, OnnxDetector> { ["tiny"] = _detector },
            c => wrap is null ? new RecordingAnalytics(c.Id, Records) : wrap(c, new RecordingAnalytics(c.Id, Records)), ingest ?? FastIngest, new InferenceOptions { BatchWait = TimeSpan.FromMilliseconds(5) },
            NullLoggerFactory.Instance);
        Run = Task.Run(() => Pipeline.RunAsync(_stop.Token));
    }

    public static IngestOptions FastIngest { get; } = new()
    {
        BackoffMin = TimeSpan.FromMilliseconds(500),
        BackoffMax = TimeSpan.FromSeconds(2),
        FailedAfterAttempts = 3,
    };

    public WorkerPipeline Pipeline { get; }

    public ConcurrentDictionary<string, CameraRecord> Records { get; } = new();

    public Task Run { get; }

    public long Frames(string camera) => Records.TryGetValue(camera, out var r) ? Interlocked.Read(ref r.Frames) : 0;

    public static CameraConfig Camera(string id, string url, TimeSpan? stall = null) => new()
    {
        Id = id,
        Name = id,
        Url = url,
        Decode = new DecodeOptions { StallTimeout = stall ?? TimeSpan.FromSeconds(4), SocketTimeout = TimeSpan.FromSeconds(3) },
    };

    public static Task WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> what) => Eventually.UntilAsync(condition, timeout, what);

    public async Task StopAsync()
    {
        _stop.Cancel();
        await Run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _detector.Dispose();
        _stop.Dispose();
    }
}
