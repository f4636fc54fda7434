using System.Threading.Channels;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// The frame pipeline for a set of cameras: per camera an ffmpeg ingest and a bounded frame queue, one
/// inference stage per model batching across its cameras, and per camera an analytics loop.
/// <see cref="RunAsync"/> returns after a graceful drain: when cancelled, ingest stops first, the inference
/// stages finish the frames already queued, and each analytics loop completes its open episodes.
/// </summary>
public sealed partial class WorkerPipeline
{
    private readonly IReadOnlyList<CameraConfig> _cameras;
    private readonly IReadOnlyDictionary<string, OnnxDetector> _models;
    private readonly Func<CameraConfig, ICameraAnalytics> _analyticsFactory;
    private readonly IngestOptions _ingest;
    private readonly InferenceOptions _inference;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, DateTimeOffset>? _fileClockStarts;

    /// <param name="fileClockStarts">File mode (eval): camera id → wall-clock time of its clip's first frame.</param>
    public WorkerPipeline(IReadOnlyList<CameraConfig> cameras, IReadOnlyDictionary<string, OnnxDetector> models,
        Func<CameraConfig, ICameraAnalytics> analyticsFactory, IngestOptions ingest, InferenceOptions inference,
        ILoggerFactory loggers, IReadOnlyDictionary<string, DateTimeOffset>? fileClockStarts = null)
    {
        if (models.Count == 0) throw new ArgumentException("at least one model is required", nameof(models));
        _cameras = cameras.Where(c => c.Enabled).ToList();
        _models = models;
        _analyticsFactory = analyticsFactory;
        _ingest = ingest;
        _inference = inference;
        _loggers = loggers;
        _logger = loggers.CreateLogger<WorkerPipeline>();
        _fileClockStarts = fileClockStarts;
        Health = _cameras.ToDictionary(c => c.Id, c => new CameraHealth(c.Id));
        foreach (var c in _cameras) Health[c.Id].ExecutionProvider = ModelFor(c).ExecutionProvider;
    }

    /// <summary>Live health per enabled camera.</summary>
    public IReadOnlyDictionary<string, CameraHealth> Health { get; }

    private bool FileMode => _fileClockStarts is not null;

    private string ModelIdFor(CameraConfig c) => c.Model ?? _models.Keys.First();

    private OnnxDetector ModelFor(CameraConfig c) => _models.TryGetValue(ModelIdFor(c), out var m)
        ? m : throw new ArgumentException($"camera {c.Id}: unknown model '{c.Model}'");

    public async Task RunAsync(CancellationToken ct)
    {
        var ingestTasks = new List<Task>();
        var analyticsTasks = new List<Task>();
        var stageTasks = new List<Task>();
        using var drain = new CancellationTokenSource();   // inference/analytics keep running until drained

        foreach (var group in _cameras.GroupBy(ModelIdFor))
        {
            var detector = _models[group.Key];
            var signal = new FrameSignal();
            var lanes = new List<(FrameQueue, ChannelWriter<AnalysedFrame>)>();
            foreach (var camera in group)
            {
                var health = Health[camera.Id];
                var queue = new FrameQueue(camera.Id, health, signal, capacity: 2, dropOldest: !FileMode);
                var results = Channel.CreateBounded<AnalysedFrame>(
                    new BoundedChannelOptions(4) { FullMode = FileMode ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
                    dropped => { dropped.Frame.Release(); health.FrameDropped(); });
                lanes.Add((queue, results.Writer));

                var ingest = new CameraIngest(camera, detector.Manifest.Input.Width, detector.Manifest.Input.Height, queue.Writer, health, _ingest,
                    _loggers.CreateLogger<CameraIngest>(), fileClockStart: _fileClockStarts?.GetValueOrDefault(camera.Id));
                ingestTasks.Add(RunIngestAsync(ingest, queue, ct));
                analyticsTasks.Add(RunAnalyticsAsync(camera, results.Reader, drain.Token));
            }
            stageTasks.Add(Task.Run(() => new InferenceStage(group.Key, detector, lanes, signal, _inference, _loggers.CreateLogger<InferenceStage>()).RunAsync(drain.Token), CancellationToken.None));
        }
        LogStarted(_cameras.Count, _models.Count, FileMode ? "file" : "live");

        await Task.WhenAll(ingestTasks).ConfigureAwait(false);
        LogDraining();
        await Task.WhenAll(stageTasks).ConfigureAwait(false);
        await Task.WhenAll(analyticsTasks).ConfigureAwait(false);
        LogStopped();
    }

    private static async Task RunIngestAsync(CameraIngest ingest, FrameQueue queue, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await ingest.RunAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            queue.Writer.TryComplete();
        }
    }

    private async Task RunAnalyticsAsync(CameraConfig camera, ChannelReader<AnalysedFrame> reader, CancellationToken ct)
    {
        await Task.Yield();
        var analytics = _analyticsFactory(camera);
        var health = Health[camera.Id];
        try
        {
            await foreach (var frame in reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    await analytics.ProcessAsync(frame, ct).ConfigureAwait(false);
                    health.AnalyticsLatency.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    frame.Frame.Release();
                    LogAnalyticsFailed(ex, camera.Id);
                }
            }
            await analytics.CompleteAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Pipeline started: {Cameras} cameras, {Models} models, {Mode} mode")]
    private partial void LogStarted(int cameras, int models, string mode);

    [LoggerMessage(EventId = 231, Level = LogLevel.Information, Message = "Pipeline draining: ingest stopped, finishing queued frames")]
    private partial void LogDraining();

    [LoggerMessage(EventId = 232, Level = LogLevel.Information, Message = "Pipeline stopped")]
    private partial void LogStopped();

    [LoggerMessage(EventId = 233, Level = LogLevel.Error, Message = "Camera {CameraId}: analytics failed on a frame; continuing")]
    private partial void LogAnalyticsFailed(Exception ex, string cameraId);
}
