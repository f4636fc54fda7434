using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// The frame pipeline for a set of cameras: per camera an ffmpeg ingest of its frame source and a bounded frame queue, one
/// inference stage per model batching across its cameras, and per camera an analytics loop. A camera whose rules name
/// several models (<see cref="CameraModels.For"/>) goes through each of those models' stages in turn (one decode; the
/// models share input size and letterbox), and its analytics gets every model's detections of the frame.
/// <see cref="RunAsync"/> returns after a graceful drain: when cancelled, ingest stops first, the inference
/// stages finish the frames already queued, and each analytics loop completes its open episodes. Where frames come from is
/// the <see cref="IFrameSourceFactory"/>'s: live cameras (the default) run until stopped with queues that drop the oldest
/// frame; finite sources (clip files, eval) lose no frame, and the pipeline drains once every source has ended.
/// While it runs, <see cref="ApplyAsync"/> changes the camera set (hot reload) touching only the cameras that changed.
/// </summary>
public sealed partial class WorkerPipeline
{
    private readonly IReadOnlyDictionary<string, OnnxDetector> _models;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _classMaps;
    private readonly Func<CameraConfig, ICameraAnalytics> _analyticsFactory;
    private readonly IngestOptions _ingest;
    private readonly InferenceOptions _inference;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly IFrameSourceFactory _sources;
    private readonly ConcurrentDictionary<string, CameraHealth> _health = new();
    private readonly Dictionary<string, CameraRun> _runs = new();   // guarded by _runsLock
    private readonly SemaphoreSlim _runsLock = new(1, 1);
    private readonly Dictionary<string, (InferenceStage Stage, FrameSignal Signal)> _stages = new();
    private readonly CancellationTokenSource _drain = new();   // inference/analytics keep running until drained
    private IReadOnlyList<CameraConfig> _initial;
    private CancellationToken _stopping;
    private volatile bool _running;

    /// <param name="sources">Where the cameras' frames come from; live cameras on the system clock, none recording, by default.</param>
    public WorkerPipeline(IReadOnlyList<CameraConfig> cameras, IReadOnlyDictionary<string, OnnxDetector> models,
        Func<CameraConfig, ICameraAnalytics> analyticsFactory, IngestOptions ingest, InferenceOptions inference,
        ILoggerFactory loggers, IFrameSourceFactory? sources = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? classMaps = null)
    {
        _sources = sources ?? new LiveFrameSourceFactory();
        if (models.Count == 0) throw new ArgumentException("at least one model is required", nameof(models));
        _classMaps = classMaps ?? new Dictionary<string, IReadOnlyDictionary<string, string>>();
        _initial = cameras.Where(c => c.Enabled).ToList();
        _models = models;
        _analyticsFactory = analyticsFactory;
        _ingest = ingest;
        _inference = inference;
        _loggers = loggers;
        _logger = loggers.CreateLogger<WorkerPipeline>();
        foreach (var c in _initial) NewHealth(c);
    }

    /// <summary>Live health per enabled camera (cameras added or removed by <see cref="ApplyAsync"/> appear and leave here).</summary>
    public IReadOnlyDictionary<string, CameraHealth> Health => _health;

    /// <summary>Raised for the health of a camera added while running (so /metrics can attach to it).</summary>
    public event Action<CameraHealth>? CameraAdded;

    private string ModelIdFor(CameraConfig c) => c.Model ?? _models.Keys.First();

    private OnnxDetector ModelFor(CameraConfig c) => _models.TryGetValue(ModelIdFor(c), out var m)
        ? m : throw new ArgumentException($"camera {c.Id}: unknown model '{c.Model}'");

    /// <summary>The models a camera's frames go through, in order; all known and sharing the first one's input.</summary>
    private IReadOnlyList<string> ModelChainFor(CameraConfig c)
    {
        var ids = CameraModels.For(c, _models.Keys.First());
        foreach (var id in ids)
            if (!_models.ContainsKey(id)) throw new ArgumentException($"camera {c.Id}: unknown model '{id}'");
        var first = _models[ids[0]].Manifest.Input;
        foreach (var id in ids.Skip(1))
        {
            var input = _models[id].Manifest.Input;
            if (input.Width != first.Width || input.Height != first.Height || input.Fit != first.Fit)
                throw new ArgumentException($"camera {c.Id}: models '{ids[0]}' and '{id}' take different inputs; one camera's models must share input size and letterbox");
        }
        return ids;
    }

    private CameraHealth NewHealth(CameraConfig c)
    {
        var health = _health.GetOrAdd(c.Id, id => new CameraHealth(id));
        health.ExecutionProvider = ExecutionProviders.Name(ModelFor(c).ExecutionProvider);
        return health;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        _stopping = ct;
        var stageTasks = new List<Task>();
        var index = 0;
        foreach (var (modelId, detector) in _models)
        {
            var signal = new FrameSignal();
            // Every model's stage stays open, so a camera added later (hot reload) finds one.
            var stage = new InferenceStage(modelId, detector, [], signal, _inference, _loggers.CreateLogger<InferenceStage>(), stayOpen: true,
                classMap: _classMaps.GetValueOrDefault(modelId), classIdOffset: 1000 * index++);
            _stages[modelId] = (stage, signal);
            stageTasks.Add(Task.Run(() => stage.RunAsync(_drain.Token), CancellationToken.None));
        }
        await _runsLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (var camera in _initial) _runs[camera.Id] = StartCamera(camera);
            _running = true;
        }
        finally { _runsLock.Release(); }
        LogStarted(_initial.Count, _models.Count, _sources.Finite ? "file" : "live");

        // Until stopped, or until every finite source (clip) has ended (no reload there): then drain.
        if (_sources.Finite) await Task.WhenAll(_runs.Values.Select(r => r.Ingest)).ConfigureAwait(false);
        else
        {
            try { await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        }

        await _runsLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        List<CameraRun> runs;
        try
        {
            _running = false;
            runs = [.. _runs.Values];
        }
        finally { _runsLock.Release(); }
        foreach (var run in runs) await run.Stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(runs.Select(r => r.Ingest)).ConfigureAwait(false);
        LogDraining();
        foreach (var (stage, _) in _stages.Values) stage.Close();
        await Task.WhenAll(stageTasks).ConfigureAwait(false);
        await Task.WhenAll(runs.Select(r => r.Analytics)).ConfigureAwait(false);
        LogStopped();
    }

    /// <summary>
    /// Hot reload: makes the running camera set match <paramref name="cameras"/>. Removed (or disabled) cameras are
    /// drained and stopped; new ones start; a camera whose zones, rules or quality settings changed keeps its stream and
    /// gets new analytics from its next frame (its open episodes are ended first); any other change restarts that
    /// camera alone. Cameras that did not change are not touched: their ffmpeg keeps running.
    /// </summary>
    public async Task<ReloadSummary> ApplyAsync(IReadOnlyList<CameraConfig> cameras, CancellationToken ct = default)
    {
        var wanted = cameras.Where(c => c.Enabled).ToDictionary(c => c.Id);
        await _runsLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_running) throw new InvalidOperationException("the pipeline is not running");
            var summary = new ReloadSummary();
            foreach (var id in _runs.Keys.Where(id => !wanted.ContainsKey(id)).ToList())
            {
                await StopCameraAsync(_runs[id]).ConfigureAwait(false);
                _runs.Remove(id);
                _health.TryRemove(id, out _);
                summary.Removed.Add(id);
            }
            foreach (var (id, config) in wanted)
            {
                if (!_runs.TryGetValue(id, out var run))
                {
                    _runs[id] = StartCamera(config);
                    CameraAdded?.Invoke(_health[id]);
                    summary.Added.Add(id);
                }
                else if (Same(run.Config, config)) summary.Unchanged.Add(id);
                else if (Same(run.Config with { Scenarios = config.Scenarios, Quality = config.Quality }, config)
                         && ModelChainFor(run.Config).SequenceEqual(ModelChainFor(config)))
                {
                    run.Slot.Replace(_analyticsFactory(config));
                    _runs[id] = run with { Config = config };
                    summary.Reconfigured.Add(id);
                }
                else
                {
                    await StopCameraAsync(run).ConfigureAwait(false);
                    _runs[id] = StartCamera(config);
                    summary.Restarted.Add(id);
                }
            }
            LogReloaded(summary.Added.Count, summary.Removed.Count, summary.Restarted.Count, summary.Reconfigured.Count, summary.Unchanged.Count);
            return summary;
        }
        finally { _runsLock.Release(); }
    }

    /// <summary>Structural equality of two camera configs (records holding lists compare those by reference).</summary>
    private static bool Same(CameraConfig a, CameraConfig b) => EdgeAi.Configuration.ConfigEquality.Equal(a, b);

    private CameraRun StartCamera(CameraConfig camera)
    {
        var chain = ModelChainFor(camera);
        var detector = _models[chain[0]];
        var health = NewHealth(camera);
        health.ExecutionProvider = ExecutionProviders.Name(detector.ExecutionProvider);
        var logger = _loggers.CreateLogger<CameraIngest>();
        var source = _sources.Create(camera, health, _ingest, logger);
        // One frame queue per model of the camera: ingest → first model's stage → … → last model's stage → analytics.
        // A finite source's frames all count: its queues wait (back-pressure reaches the decoder); a live camera's drop the oldest.
        var queues = chain.Select(id => new FrameQueue(camera.Id, health, _stages[id].Signal, capacity: 2, dropOldest: !_sources.Finite)).ToList();
        var queue = queues[0];
        var results = Channel.CreateBounded<AnalysedFrame>(
            new BoundedChannelOptions(4) { FullMode = _sources.Finite ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped => { dropped.Frame.Release(); health.FrameDropped(); });
        // The last model first, so a frame handed on never finds the next stage without this camera's lane.
        for (var k = chain.Count - 1; k >= 0; k--)
            _stages[chain[k]].Stage.AddLane(queues[k], results.Writer, k + 1 < chain.Count ? queues[k + 1] : null);

        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        var ingest = new CameraIngest(camera, detector.Manifest.Input.Width, detector.Manifest.Input.Height, queue.Writer, health, _ingest,
            logger, source, detector.Manifest.Input.Fit);
        var slot = new AnalyticsSlot(_analyticsFactory(camera));
        return new CameraRun(camera, stop, RunIngestAsync(ingest, queue, stop.Token), RunAnalyticsAsync(camera.Id, slot, results.Reader, _drain.Token), slot);
    }

    /// <summary>Stops one camera: its ffmpeg ends, queued frames are analysed, open episodes are ended.</summary>
    private static async Task StopCameraAsync(CameraRun run)
    {
        await run.Stop.CancelAsync().ConfigureAwait(false);
        await run.Ingest.ConfigureAwait(false);
        await run.Analytics.ConfigureAwait(false);
        run.Stop.Dispose();
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

    private async Task RunAnalyticsAsync(string cameraId, AnalyticsSlot slot, ChannelReader<AnalysedFrame> reader, CancellationToken ct)
    {
        await Task.Yield();
        var analytics = slot.Current;
        var health = _health[cameraId];
        try
        {
            await foreach (var frame in reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (slot.TakeReplacement() is { } next)
                {
                    await analytics.CompleteAsync(ct).ConfigureAwait(false);   // ends the episodes of the old zones/rules
                    analytics = next;
                }
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    await analytics.ProcessAsync(frame, ct).ConfigureAwait(false);
                    health.AnalyticsLatency.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    frame.Frame.Release();
                    LogAnalyticsFailed(ex, cameraId);
                }
            }
            await analytics.CompleteAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One running camera: its config, the token that stops its ingest, and its two loops.</summary>
    private sealed record CameraRun(CameraConfig Config, CancellationTokenSource Stop, Task Ingest, Task Analytics, AnalyticsSlot Slot);

    /// <summary>The analytics a camera's loop uses, and the one it switches to at its next frame (hot reload).</summary>
    private sealed class AnalyticsSlot(ICameraAnalytics current)
    {
        private ICameraAnalytics? _replacement;

        public ICameraAnalytics Current { get; } = current;

        public void Replace(ICameraAnalytics next) => Interlocked.Exchange(ref _replacement, next);

        public ICameraAnalytics? TakeReplacement() => Interlocked.Exchange(ref _replacement, null);
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Pipeline started: {Cameras} cameras, {Models} models, {Mode} mode")]
    private partial void LogStarted(int cameras, int models, string mode);

    [LoggerMessage(EventId = 231, Level = LogLevel.Information, Message = "Pipeline draining: ingest stopped, finishing queued frames")]
    private partial void LogDraining();

    [LoggerMessage(EventId = 232, Level = LogLevel.Information, Message = "Pipeline stopped")]
    private partial void LogStopped();

    [LoggerMessage(EventId = 233, Level = LogLevel.Error, Message = "Camera {CameraId}: analytics failed on a frame; continuing")]
    private partial void LogAnalyticsFailed(Exception ex, string cameraId);

    [LoggerMessage(EventId = 234, Level = LogLevel.Information,
        Message = "Cameras reloaded: {Added} added, {Removed} removed, {Restarted} restarted, {Reconfigured} with new zones/rules, {Unchanged} untouched")]
    private partial void LogReloaded(int added, int removed, int restarted, int reconfigured, int unchanged);
}
