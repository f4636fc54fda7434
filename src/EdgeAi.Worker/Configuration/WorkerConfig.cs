using System.Text.Json.Serialization;
using EdgeAi.Configuration;
using EdgeAi.Observability.Logging;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Configuration;

/// <summary>The worker's one config file (JSON, snake_case keys). Secrets may come from the environment instead.</summary>
public sealed record WorkerConfig
{
    /// <summary>Gateway id: MQTT user name and topic segment, 1-64 of [A-Za-z0-9._-].</summary>
    public required string DeviceId { get; init; }

    public MqttConfig Mqtt { get; init; } = new();

    /// <summary>Durable outbox database. Default /var/lib/edgeai/outbox.db, 1 GiB, 7 days.</summary>
    public OutboxConfig Outbox { get; init; } = new();

    /// <summary>Evidence store. Default /var/lib/edgeai/evidence, 2 GiB, 7 days.</summary>
    public EvidenceStoreOptions Evidence { get; init; } = new();

    /// <summary>Rolling recording and event clips of the cameras with <c>record: true</c>. Default /var/lib/edgeai/recordings, 60 s ring, clips 10 s + 20 s kept on the box.</summary>
    public Recording.RecordingOptions Recording { get; init; } = new();

    public IReadOnlyList<ModelConfig> Models { get; init; } = [];

    public IReadOnlyList<CameraConfig> Cameras { get; init; } = [];

    /// <summary>The local HTTP server (/healthz, /readyz, /metrics, /api/health, status page). Default 127.0.0.1:8090.</summary>
    public HttpConfig Http { get; init; } = new();

    /// <summary>Log level, JSON to stdout (journald), optional file. <c>--log-json</c> on the command line forces JSON.</summary>
    public LoggingOptions Logging { get; init; } = new();

    /// <summary>Between health snapshots on the MQTT health topic. Default 10 s. File key <c>health_interval_s</c> (seconds).</summary>
    [JsonPropertyName("health_interval_s"), JsonConverter(typeof(SecondsJsonConverter))]
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Video quality diagnosis thresholds for every camera (a camera's own <c>quality</c> section replaces it).</summary>
    public Quality.QualityOptions Quality { get; init; } = new();

    /// <summary>When the systemd watchdog counts the worker as hung (no pings, so systemd restarts it).</summary>
    public WatchdogConfig Watchdog { get; init; } = new();
}

/// <summary>What counts as a hung worker under systemd's watchdog (WatchdogSec=): pings stop while either holds.</summary>
public sealed record WatchdogConfig
{
    /// <summary>Frames keep arriving but none has been analysed for this long (a wedged inference stage). Default 60 s.
    /// File key <c>pipeline_stall_s</c> (seconds).</summary>
    [JsonPropertyName("pipeline_stall_s"), JsonConverter(typeof(SecondsJsonConverter))]
    public TimeSpan PipelineStall { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Connected to the broker with events in the outbox, but the oldest has not been acknowledged for this long.
    /// Default 300 s. File key <c>delivery_stall_s</c> (seconds).</summary>
    [JsonPropertyName("delivery_stall_s"), JsonConverter(typeof(SecondsJsonConverter))]
    public TimeSpan DeliveryStall { get; init; } = TimeSpan.FromSeconds(300);
}

/// <param name="Listen">host:port or http://host:port; port 0 picks a free port (tests). Keep it on loopback or a management network.</param>
/// <param name="Enabled">Default true.</param>
public sealed record HttpConfig(string Listen = "127.0.0.1:8090", bool Enabled = true)
{
    /// <summary>The listen address as a Kestrel URL.</summary>
    public string Url => Listen.Contains("://", StringComparison.Ordinal) ? Listen : "http://" + Listen;
}

/// <param name="PasswordFile">File holding the password (preferred over <see cref="Password"/>); env EDGEAI_MQTT_PASSWORD overrides both.</param>
public sealed record MqttConfig(string Host = "127.0.0.1", int Port = 1883, string? Username = null, string? Password = null,
    string? PasswordFile = null, MqttTlsConfig? Tls = null);

public sealed record MqttTlsConfig(string CaFile, string? CertFile = null, string? KeyFile = null);

public sealed record OutboxConfig(string Path = "/var/lib/edgeai/outbox.db", long MaxBytes = 1L << 30)
{
    /// <summary>Events older than this are shed. Default 7 days. File key <c>max_age_hours</c> (hours).</summary>
    [JsonPropertyName("max_age_hours"), JsonConverter(typeof(HoursJsonConverter))]
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(168);
}

/// <param name="Manifest">Path to the model manifest JSON (relative paths are relative to the config file).</param>
/// <param name="ExecutionProvider">cpu (default), cuda or tensorrt; a GPU provider that cannot run here falls back to CPU and says so.</param>
/// <param name="GpuDeviceId">GPU (CUDA device ordinal) for cuda and tensorrt.</param>
public sealed record ModelConfig(string Id, string Manifest, ExecutionProvider ExecutionProvider = ExecutionProvider.Cpu, int Threads = 2, int BatchSize = 4, bool SpinWait = false,
    int GpuDeviceId = 0)
{
    /// <summary>How long a batch waits for more frames once it has one. Default 20 ms. File key <c>batch_wait_ms</c> (milliseconds).</summary>
    [JsonPropertyName("batch_wait_ms"), JsonConverter(typeof(MillisecondsJsonConverter))]
    public TimeSpan BatchWait { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Renames this model's labels to the class names the rules use, e.g. a COCO model's <c>{"person": "person", "boat": "boat"}</c>
    /// or <c>{"bottle": "litter"}</c>; labels not listed keep their name. Null (default): the labels as the manifest has them.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ClassMap { get; init; }

    /// <summary>The model's labels as the rules see them (after <see cref="ClassMap"/>).</summary>
    public IReadOnlyList<string> MapLabels(IReadOnlyList<string> labels) =>
        ClassMap is null ? labels : [.. labels.Select(l => ClassMap.TryGetValue(l, out var m) ? m : l).Distinct(StringComparer.Ordinal)];
}

/// <summary>Which models a camera's frames go through.</summary>
public static class CameraModels
{
    /// <summary>
    /// The camera's own model (<see cref="CameraConfig.Model"/>, else <paramref name="defaultModelId"/>) when a rule uses it
    /// or no rule names models, then every model an active rule (one that watches a zone) names, each once, in order.
    /// </summary>
    public static IReadOnlyList<string> For(CameraConfig camera, string defaultModelId)
    {
        var own = camera.Model ?? defaultModelId;
        var ids = new List<string>();
        var rules = Scenarios.ScenarioConfigValidator.ActiveRules(camera.Scenarios).Select(r => r.Rule).ToList();
        if (rules.Count == 0 || rules.Any(r => r.Models is not { Count: > 0 })) ids.Add(own);
        foreach (var r in rules)
            foreach (var m in r.Models ?? [])
                if (!ids.Contains(m)) ids.Add(m);
        return ids;
    }

    /// <summary>The models a rule uses: its own list, or the camera's model.</summary>
    public static IReadOnlyList<string> OfRule(Scenarios.RuleConfig rule, CameraConfig camera, string defaultModelId) =>
        rule.Models is { Count: > 0 } m ? m : [camera.Model ?? defaultModelId];
}
