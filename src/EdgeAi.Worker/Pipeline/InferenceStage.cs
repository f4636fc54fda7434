using System.Diagnostics;
using System.Threading.Channels;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// One stage per model: takes frames from every camera analysed by that model, round-robin so no camera
/// starves, batches them (up to the model's batch size, waiting at most <see cref="InferenceOptions.BatchWait"/>
/// to fill a batch), runs the detector and hands each frame with its detections to its camera's analytics
/// channel. A slow camera's analytics cannot stall the others: that hand-off drops the camera's oldest
/// pending result (counted) rather than wait, except for finite sources (clips) where nothing is dropped.
/// A camera analysed by several models has a lane in each model's stage, chained: a lane with a <c>Next</c> queue hands
/// the frame, its detections added, to the next model's stage instead of to analytics; the last one hands on all of them.
/// Labels pass through the model's class map (<see cref="Configuration.ModelConfig.ClassMap"/>).
/// </summary>
public sealed partial class InferenceStage
{
    private readonly string _modelId;
    private readonly OnnxDetector _detector;
    // Copy-on-write: replaced (under _lanesLock) when a camera is added; read by the stage loop, which alone retires lanes.
    private Lane[] _lanes;
    private readonly IReadOnlyDictionary<string, string>? _classMap;
    private readonly int _classIdOffset;
    private readonly Lock _lanesLock = new();
    private volatile bool _closed;
    private readonly FrameSignal _signal;
    private readonly InferenceOptions _options;
    private readonly ILogger _logger;
    private readonly List<Frame> _batch;
    private readonly List<ReadOnlyMemory<byte>> _data;
    private readonly List<LetterboxGeometry> _geometries;
    private readonly List<Detection.Detection>[] _results;
    private int _next;

    /// <param name="stayOpen">Keep running with no lanes (cameras may be added later, hot reload) until <see cref="Close"/>;
    /// otherwise the stage ends once every lane's input has completed.</param>
    public InferenceStage(string modelId, OnnxDetector detector, IReadOnlyList<(FrameQueue Input, ChannelWriter<AnalysedFrame> Output)> lanes,
        FrameSignal signal, InferenceOptions options, ILogger logger, bool stayOpen = false, IReadOnlyDictionary<string, string>? classMap = null,
        int classIdOffset = 0)
    {
        _classIdOffset = classIdOffset;
        _modelId = modelId;
        _detector = detector;
        _lanes = [.. lanes.Select(l => new Lane(l.Input, l.Output, null))];
        _classMap = classMap is { Count: > 0 } ? classMap : null;
        _closed = !stayOpen;
        _signal = signal;
        _options = options;
        _logger = logger;
        _batch = new(detector.MaxBatch);
        _data = new(detector.MaxBatch);
        _geometries = new(detector.MaxBatch);
        _results = Enumerable.Range(0, detector.MaxBatch).Select(_ => new List<Detection.Detection>(32)).ToArray();
    }

    public long Batches { get; private set; }

    /// <summary>Adds a camera's lane while the stage runs. A lane leaves by itself once its input completes and is drained.</summary>
    /// <param name="next">The next model's queue for this camera (chained models); null: this is the camera's last model.</param>
    public void AddLane(FrameQueue input, ChannelWriter<AnalysedFrame> output, FrameQueue? next = null)
    {
        lock (_lanesLock) _lanes = [.. _lanes, new Lane(input, output, next)];
        _signal.Set();
    }

    /// <summary>No lanes will be added any more: the stage ends when the remaining ones are drained (graceful stop).</summary>
    public void Close()
    {
        _closed = true;
        _signal.Set();
    }

    /// <summary>Completes and removes lanes whose input is complete and empty; only between batches.</summary>
    private void RetireDrainedLanes()
    {
        var lanes = Volatile.Read(ref _lanes);
        if (!lanes.Any(l => l.Input.Reader.Completion.IsCompleted)) return;
        lock (_lanesLock)
        {
            var drained = _lanes.Where(l => l.Input.Reader.Completion.IsCompleted).ToArray();
            foreach (var lane in drained) lane.Complete();
            _lanes = [.. _lanes.Except(drained)];
        }
    }

    /// <summary>Runs until every input queue is completed and drained (graceful drain), then completes the outputs.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        LogStarted(_modelId, ExecutionProviders.Name(_detector.ExecutionProvider), _detector.MaxBatch, _lanes.Length);
        try
        {
            while (true)
            {
                RetireDrainedLanes();
                Gather();
                if (_batch.Count == 0)
                {
                    if (_closed && Volatile.Read(ref _lanes).Length == 0) break;
                    await _signal.WaitAsync(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
                    continue;
                }
                if (_batch.Count < _detector.MaxBatch && _options.BatchWait > TimeSpan.Zero)
                {
                    var deadline = Stopwatch.GetTimestamp() + (long)(_options.BatchWait.TotalSeconds * Stopwatch.Frequency);
                    while (_batch.Count < _detector.MaxBatch)
                    {
                        var left = TimeSpan.FromSeconds((double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
                        if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left, ct).ConfigureAwait(false)) break;
                        Gather();
                    }
                }
                await RunBatchAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            foreach (var f in _batch) f.Release();
        }
        finally
        {
            foreach (var lane in Volatile.Read(ref _lanes)) lane.Complete();
            LogStopped(_modelId, Batches);
        }
    }

    /// <summary>Adds at most one frame per camera per pass, starting after the camera served last.</summary>
    private void Gather()
    {
        var lanes = Volatile.Read(ref _lanes);
        var n = lanes.Length;
        for (var k = 0; k < n && _batch.Count < _detector.MaxBatch; k++)
        {
            var i = (_next + k) % n;
            if (lanes[i].Input.Reader.TryRead(out var frame))
            {
                _batch.Add(frame);
                _next = (i + 1) % n;
            }
        }
    }

    private async Task RunBatchAsync(CancellationToken ct)
    {
        _data.Clear();
        _geometries.Clear();
        foreach (var f in _batch)
        {
            _data.Add(f.Data);
            _geometries.Add(f.Geometry);
        }
        for (var i = 0; i < _batch.Count; i++) _results[i].Clear();

        TestHooks.BlockWhileInferenceHung(ct);
        var start = Stopwatch.GetTimestamp();
        try
        {
            _detector.Detect(_data, _geometries, _results);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBatchFailed(ex, _modelId, _batch.Count);
            foreach (var f in _batch) f.Release();
            _batch.Clear();
            return;
        }
        var perFrameMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds / _batch.Count;
        Batches++;

        for (var i = 0; i < _batch.Count; i++)
        {
            var frame = _batch[i];
            var lane = Array.Find(Volatile.Read(ref _lanes), l => l.Input.CameraId == frame.CameraId)!;   // retired only between batches
            var health = lane.Input.Health;
            health.InferenceLatency.Record(perFrameMs);
            var detections = _results[i];
            if (_classMap is not null)
                for (var d = 0; d < detections.Count; d++)
                    if (_classMap.TryGetValue(detections[d].Label, out var mapped)) detections[d] = detections[d] with { Label = mapped };
            // Chained models number their classes from 0 each: the offset keeps the ids apart (the tracker matches on them).
            if (_classIdOffset != 0 && (lane.Next is not null || frame.Earlier is not null))
                for (var d = 0; d < detections.Count; d++) detections[d] = detections[d] with { ClassId = detections[d].ClassId + _classIdOffset };
            if (lane.Next is { } next)
            {
                // Chained: the next model of this camera runs on the same frame, then hands on both models' detections.
                (frame.Earlier ??= new List<Detection.Detection>(detections.Count)).AddRange(detections);
                frame.EarlierModels = frame.EarlierModels is null ? _modelId : frame.EarlierModels + "+" + _modelId;
                if (!next.Writer.TryWrite(frame))
                {
                    try
                    {
                        await next.Writer.WriteAsync(frame, ct).ConfigureAwait(false);
                    }
                    catch (ChannelClosedException)
                    {
                        frame.Release();
                    }
                }
                continue;
            }
            health.PipelineLatency.Record(Stopwatch.GetElapsedTime(frame.ArrivalTimestamp).TotalMilliseconds);
            health.FrameAnalysed();
            var all = frame.Earlier is { } earlier ? [.. earlier, .. detections] : detections.ToArray();
            var result = new AnalysedFrame(frame, all, frame.EarlierModels is { } models ? models + "+" + _modelId : _modelId);
            if (!lane.Output.TryWrite(result))
            {
                try
                {
                    await lane.Output.WriteAsync(result, ct).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    frame.Release();
                }
            }
        }
        _batch.Clear();
    }

    /// <summary>One camera in this stage: its frames in, and where they go next (analytics, or the camera's next model).</summary>
    private sealed record Lane(FrameQueue Input, ChannelWriter<AnalysedFrame> Output, FrameQueue? Next)
    {
        /// <summary>No more frames from this camera through this model: the next model's queue, or analytics, is told.</summary>
        public void Complete()
        {
            if (Next is not null) Next.Writer.TryComplete();
            else Output.TryComplete();
        }
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Inference stage {ModelId} started on {Provider}: batch up to {MaxBatch}, {Cameras} cameras")]
    private partial void LogStarted(string modelId, string provider, int maxBatch, int cameras);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "Inference stage {ModelId} stopped after {Batches} batches")]
    private partial void LogStopped(string modelId, long batches);

    [LoggerMessage(EventId = 222, Level = LogLevel.Error, Message = "Inference stage {ModelId}: batch of {Count} frames failed; frames dropped")]
    private partial void LogBatchFailed(Exception ex, string modelId, int count);
}
