using System.Diagnostics;

namespace EdgeAi.Worker.Health;

/// <summary>
/// Live counters for one camera, written by the ingest, inference and analytics stages (lock-free increments)
/// and read by health publishers, /metrics and the status page through <see cref="Snapshot"/>.
/// </summary>
public sealed class CameraHealth(string cameraId)
{
    private long _framesIn;
    private long _framesAnalysed;
    private long _dropped;
    private long _reconnects;
    private long _decodeErrors;
    private long _lastFrameTimestamp;
    private volatile CameraState _state = CameraState.Connecting;
    private volatile string? _lastError;

    public string CameraId { get; } = cameraId;

    public LatencyRecorder InferenceLatency { get; } = new();

    /// <summary>Frames decoded and handed to the pipeline per second (recent window).</summary>
    public FrameRate RateIn { get; } = new();

    /// <summary>Frames through inference and the scenario rules per second (recent window).</summary>
    public FrameRate RateAnalysed { get; } = new();

    /// <summary>Decoder errors per second (recent window): above zero while streaming, the camera is reported degraded.</summary>
    public FrameRate RateDecodeErrors { get; } = new();

    /// <summary>Frame arrival → detections ready (queueing + inference).</summary>
    public LatencyRecorder PipelineLatency { get; } = new();

    /// <summary>Tracker, zones, rules and evidence for one analysed frame.</summary>
    public LatencyRecorder AnalyticsLatency { get; } = new();

    public CameraState State => _state;

    public string? LastError => _lastError;

    public string? Codec { get; set; }

    /// <summary>The camera's rolling recording when it records (<c>record: true</c>); null otherwise.</summary>
    public Recording.SegmentRing? Recording { get; set; }

    public string? SourceSize { get; set; }

    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>How the camera is decoded when that differs from its config, or why it cannot be analysed at the wanted rate
    /// (long-GOP camera); null when nothing to say.</summary>
    public string? DecodeNote { get; set; }

    public long FramesIn => Interlocked.Read(ref _framesIn);
    public long FramesAnalysed => Interlocked.Read(ref _framesAnalysed);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long Reconnects => Interlocked.Read(ref _reconnects);
    public long DecodeErrors => Interlocked.Read(ref _decodeErrors);

    public void SetState(CameraState state, string? error = null)
    {
        _state = state;
        if (error is not null || state == CameraState.Streaming) _lastError = error;
    }

    public void FrameIn()
    {
        Interlocked.Increment(ref _framesIn);
        Interlocked.Exchange(ref _lastFrameTimestamp, Stopwatch.GetTimestamp());
        RateIn.Tick();
    }

    public void FrameAnalysed()
    {
        Interlocked.Increment(ref _framesAnalysed);
        RateAnalysed.Tick();
    }

    public void FrameDropped() => Interlocked.Increment(ref _dropped);
    public void Reconnected() => Interlocked.Increment(ref _reconnects);
    public void DecodeError()
    {
        Interlocked.Increment(ref _decodeErrors);
        RateDecodeErrors.Tick();
    }

    /// <summary>The state to report: <see cref="CameraState.Degraded"/> while streaming with recent decoder errors.</summary>
    private (CameraState State, string? Error) Reported()
    {
        var errorsPerSecond = RateDecodeErrors.PerSecond();
        return State == CameraState.Streaming && errorsPerSecond > 0
            ? (CameraState.Degraded, $"decoder errors: {errorsPerSecond * FrameRate.WindowSeconds:0} in the last {FrameRate.WindowSeconds} s (damaged stream)")
            : (State, LastError);
    }

    /// <summary>Seconds since the last frame arrived; null before the first.</summary>
    public double? LastFrameAgeSeconds
    {
        get
        {
            var t = Interlocked.Read(ref _lastFrameTimestamp);
            return t == 0 ? null : Stopwatch.GetElapsedTime(t).TotalSeconds;
        }
    }

    public CameraHealthSnapshot Snapshot()
    {
        var (state, error) = Reported();
        return new(CameraId, state, FramesIn, FramesAnalysed, Dropped, Reconnects, DecodeErrors,
        LastFrameAgeSeconds, InferenceLatency.Percentile(50), InferenceLatency.Percentile(99),
        PipelineLatency.Percentile(50), PipelineLatency.Percentile(99), ExecutionProvider, Codec, SourceSize, error,
            Math.Round(RateIn.PerSecond(), 3), Math.Round(RateAnalysed.PerSecond(), 3))
        {
            DecodeNote = DecodeNote,
            Recording = Recording is { } r ? new EdgeAi.Models.Devices.RecordingHealth(r.Count, r.Bytes, Math.Round(r.Seconds, 1), r.ClipsMade) : null,
        };
    }
}

/// <summary>Point-in-time copy of <see cref="CameraHealth"/>.</summary>
public sealed record CameraHealthSnapshot(
    string CameraId, CameraState State, long FramesIn, long FramesAnalysed, long Dropped, long Reconnects, long DecodeErrors,
    double? LastFrameAgeSeconds, double InferenceP50Ms, double InferenceP99Ms, double PipelineP50Ms, double PipelineP99Ms,
    string ExecutionProvider, string? Codec, string? SourceSize, string? LastError, double FpsIn, double FpsAnalysed)
{
    /// <summary>See <see cref="CameraHealth.DecodeNote"/>.</summary>
    public string? DecodeNote { get; init; }

    /// <summary>See <see cref="CameraHealth.Recording"/>; null when the camera does not record.</summary>
    public EdgeAi.Models.Devices.RecordingHealth? Recording { get; init; }
}
