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
/// pending result (counted) rather than wait, except in file mode where nothing is dropped.
/// </summary>
public sealed partial class InferenceStage
{
    private readonly string _modelId;
    private readonly OnnxDetector _detector;
    private readonly IReadOnlyList<(FrameQueue Input, ChannelWriter<AnalysedFrame> Output)> _lanes;
    private readonly FrameSignal _signal;
    private readonly InferenceOptions _options;
    private readonly ILogger _logger;
    private readonly List<Frame> _batch;
    private readonly List<ReadOnlyMemory<byte>> _data;
    private readonly List<LetterboxGeometry> _geometries;
    private readonly List<Detection.Detection>[] _results;
    private int _next;

    public InferenceStage(string modelId, OnnxDetector detector, IReadOnlyList<(FrameQueue Input, ChannelWriter<AnalysedFrame> Output)> lanes,
        FrameSignal signal, InferenceOptions options, ILogger logger)
    {
        _modelId = modelId;
        _detector = detector;
        _lanes = lanes;
        _signal = signal;
        _options = options;
        _logger = logger;
        _batch = new(detector.MaxBatch);
        _data = new(detector.MaxBatch);
        _geometries = new(detector.MaxBatch);
        _results = Enumerable.Range(0, detector.MaxBatch).Select(_ => new List<Detection.Detection>(32)).ToArray();
    }

    public long Batches { get; private set; }

    /// <summary>Runs until every input queue is completed and drained (graceful drain), then completes the outputs.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        LogStarted(_modelId, _detector.ExecutionProvider, _detector.MaxBatch, _lanes.Count);
        try
        {
            while (true)
            {
                Gather();
                if (_batch.Count == 0)
                {
                    if (_lanes.All(l => l.Input.Reader.Completion.IsCompleted)) break;
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
            foreach (var (_, output) in _lanes) output.TryComplete();
            LogStopped(_modelId, Batches);
        }
    }

    /// <summary>Adds at most one frame per camera per pass, starting after the camera served last.</summary>
    private void Gather()
    {
        var n = _lanes.Count;
        for (var k = 0; k < n && _batch.Count < _detector.MaxBatch; k++)
        {
            var i = (_next + k) % n;
            if (_lanes[i].Input.Reader.TryRead(out var frame))
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
            var lane = _lanes.First(l => l.Input.CameraId == frame.CameraId);
            var health = lane.Input.Health;
            health.InferenceLatency.Record(perFrameMs);
            health.PipelineLatency.Record(Stopwatch.GetElapsedTime(frame.ArrivalTimestamp).TotalMilliseconds);
            health.FrameAnalysed();
            var result = new AnalysedFrame(frame, _results[i].ToArray(), _modelId);
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

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Inference stage {ModelId} started on {Provider}: batch up to {MaxBatch}, {Cameras} cameras")]
    private partial void LogStarted(string modelId, string provider, int maxBatch, int cameras);

    [LoggerMessage(EventId = 221, Level = LogLevel.Information, Message = "Inference stage {ModelId} stopped after {Batches} batches")]
    private partial void LogStopped(string modelId, long batches);

    [LoggerMessage(EventId = 222, Level = LogLevel.Error, Message = "Inference stage {ModelId}: batch of {Count} frames failed; frames dropped")]
    private partial void LogBatchFailed(Exception ex, string modelId, int count);
}
