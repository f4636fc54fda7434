using EdgeAi.Messaging;

using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// What the running worker is doing, in one place, for the readers that are not part of the pipeline: the HTTP
/// endpoints, /metrics, the MQTT health topic and the systemd status line. Each stage fills in its part as it
/// starts (models, then outbox, then MQTT, then the pipeline), so /readyz can say which step is missing.
/// Thread-safe: each part is set once and read from any thread.
/// </summary>
internal sealed class WorkerState(WorkerConfig config, TimeProvider? time = null)
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

    /// <summary>Model id → execution provider in use, once every model is loaded.</summary>
    public IReadOnlyDictionary<string, string>? Models { get => _models; set => _models = value; }

    public EventOutbox? Outbox { get => _outbox; set => _outbox = value; }

    public WorkerPipeline? Pipeline { get => _pipeline; set => _pipeline = value; }

    public MqttClient? Mqtt { get => _mqtt; set => _mqtt = value; }

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

    /// <summary>Latest video quality diagnosis per camera (set once the pipeline is built).</summary>
    public Quality.QualityBoard? Quality { get; set; }

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
