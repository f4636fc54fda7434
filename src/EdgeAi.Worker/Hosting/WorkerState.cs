using System.Diagnostics;
using EdgeAi.Messaging;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// What the running worker is doing, in one place, for the readers that are not part of the pipeline: the HTTP
/// endpoints, /metrics, the MQTT health topic and the systemd status line. Each stage reports what it owns once, as it
/// starts, through its own method (<see cref="ModelsLoaded"/>, <see cref="OutboxOpened"/>, <see cref="DeliveryStarted"/>,
/// <see cref="PipelineStarted"/>, in that order; <see cref="Stopped"/> when the last stage stops), so /readyz can say
/// which step is missing; readers see only getters. The quality board comes with the state (null in tests without one).
/// Thread-safe: each part is reported once and read from any thread.
/// </summary>
internal sealed class WorkerState(WorkerConfig config, TimeProvider? time = null, Quality.QualityBoard? quality = null)
{
    private volatile WorkerPipeline? _pipeline;
    private volatile EventOutbox? _outbox;
    private volatile MqttClient? _mqtt;
    private volatile IReadOnlyDictionary<string, string>? _models;

    public WorkerConfig Config { get; } = config;

    /// <summary>The worker's clock (uptime, health snapshot times).</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    public DateTimeOffset Started { get; } = (time ?? TimeProvider.System).GetUtcNow();

    public string? Version { get; } = typeof(WorkerState).Assembly.GetName().Version?.ToString();

    /// <summary>Model id → execution provider in use (cpu, cuda, tensorrt), once every model is loaded.</summary>
    public IReadOnlyDictionary<string, string>? Models => _models;

    /// <summary>The open outbox, once it is open.</summary>
    public EventOutbox? Outbox => _outbox;

    /// <summary>The running camera pipeline; null before it starts and after the worker stopped.</summary>
    public WorkerPipeline? Pipeline => _pipeline;

    /// <summary>Delivery's MQTT connection, once delivery started.</summary>
    public MqttClient? Mqtt => _mqtt;

    /// <summary>Latest video quality diagnosis per camera.</summary>
    public Quality.QualityBoard? Quality { get; } = quality;

    /// <summary>The model stage: every model is loaded; <paramref name="providers"/> is model id → provider in use.</summary>
    public void ModelsLoaded(IReadOnlyDictionary<string, string> providers)
    {
        Debug.Assert(_models is null, "models are loaded once");
        _models = providers;
    }

    /// <summary>The outbox stage: the outbox is open.</summary>
    public void OutboxOpened(EventOutbox outbox)
    {
        Debug.Assert(_outbox is null, "the outbox is opened once");
        _outbox = outbox;
    }

    /// <summary>The delivery stage: its MQTT client exists (connected or still trying).</summary>
    public void DeliveryStarted(MqttClient client)
    {
        Debug.Assert(_mqtt is null, "delivery starts once");
        _mqtt = client;
    }

    /// <summary>The pipeline stage: the cameras run.</summary>
    public void PipelineStarted(WorkerPipeline pipeline)
    {
        Debug.Assert(_pipeline is null, "the pipeline starts once");
        _pipeline = pipeline;
    }

    /// <summary>The outbox stage, the last to stop: the worker no longer runs (readiness says the pipeline is not started).</summary>
    public void Stopped() => _pipeline = null;

    /// <summary>Live health of every running camera (empty before the pipeline starts).</summary>
    public IReadOnlyCollection<CameraHealth> Cameras => (IReadOnlyCollection<CameraHealth>?)_pipeline?.Health.Values ?? [];

    public string MqttState => _mqtt?.State.ToString().ToLowerInvariant() ?? "not started";

    public bool MqttConnected => _mqtt?.State == MqttConnectionState.Connected;

    /// <summary>Why the worker is not ready; empty when it is (models loaded, outbox open, a camera streaming or none configured).</summary>
    public IReadOnlyList<string> NotReadyReasons()
    {
        var problems = new List<string>();
        if (Models is null) problems.Add("models not loaded yet");
        if (Outbox is null) problems.Add("outbox not open yet");
        if (Pipeline is null) problems.Add("pipeline not started yet");
        else if (Cameras.Count > 0 && !Cameras.Any(c => c.State == CameraState.Streaming))
            problems.Add($"no camera streaming ({string.Join(", ", Cameras.Select(c => $"{c.CameraId}: {c.State.ToString().ToLowerInvariant()}"))})");
        return problems;
    }

    /// <summary>The snapshot published on the health topic and served at /api/health.</summary>
    public EdgeAi.Models.Devices.DeviceHealth Health()
    {
        var cameras = Cameras.Select(h =>
        {
            var s = h.Snapshot();
            var q = Quality?.Get(s.CameraId);
            return new EdgeAi.Models.Devices.CameraHealth(s.CameraId, s.State.ToString().ToLowerInvariant(), s.FpsIn, s.FpsAnalysed, s.FramesIn,
                s.FramesAnalysed, s.Dropped, s.Reconnects, s.LastFrameAgeSeconds is { } age ? Math.Round(age, 3) : null, s.DecodeErrors,
                s.InferenceP50Ms, s.InferenceP99Ms, s.ExecutionProvider, q?.Flags ?? [], s.LastError, q?.Measurements, s.DecodeNote, s.Recording);
        }).OrderBy(c => c.CameraId, StringComparer.Ordinal).ToList();
        var now = Time.GetUtcNow();
        return new EdgeAi.Models.Devices.DeviceHealth(Config.DeviceId, now, Math.Round((now - Started).TotalSeconds, 3), cameras, Outbox?.Depth.ToHealth(now), Version);
    }

    /// <summary>One line for systemd's STATUS= (shown by <c>systemctl status</c>), e.g. "12/12 cameras streaming, outbox 0, mqtt connected".</summary>
    public string StatusLine()
    {
        if (Pipeline is null) return Models is null ? "loading models" : "starting";
        var streaming = Cameras.Count(c => c.State == CameraState.Streaming);
        return $"{streaming}/{Cameras.Count} cameras streaming, outbox {Outbox?.Depth.Events ?? 0}, mqtt {MqttState}";
    }
}
