using System.Text.Json.Serialization;
using EdgeAi.Configuration;
using EdgeAi.Observability.Logging;

namespace EdgeAi.Central.Configuration;

// The shape of Central's config file (central.sample.json), key for key (snake_case by the reader's naming policy),
// as read by the shared JsonConfigFile: unknown keys, wrong types and missing required keys are reported there.
// Absent values are null; CentralConfigLoader checks ranges and meaning, applies the defaults of the settings records
// and the secrets from the environment, and builds CentralOptions. Durations are TimeSpans written in the file as
// seconds (keys ending in _s, read by the shared SecondsJsonConverter, as in the worker); supervision.deadlines_s
// is a map of numbers of seconds (the shape checker reads map values without a per-key converter).

internal sealed record CentralFile
{
    public string? InstanceId { get; init; }
    public LoggingLevel? LogLevel { get; init; }
    public bool? LogJson { get; init; }
    public string? LogFile { get; init; }
    public MqttFile? Mqtt { get; init; }
    public DatabaseFile? Database { get; init; }
    public ApiFile? Api { get; init; }
    public AccessFile? Access { get; init; }
    public ConsumerFile? Consumer { get; init; }
    public CorrelationFile? Correlation { get; init; }
    public PlatformFile? Platform { get; init; }
    public VerificationFile? Verification { get; init; }
    public RetentionFile? Retention { get; init; }
    public ReviewFile? Review { get; init; }
    public GridsFile? Grids { get; init; }
    public RoutingFile? Routing { get; init; }
    public SupervisionFile? Supervision { get; init; }
    public CockpitFile? Cockpit { get; init; }
    public DeviceFaultsFile? DeviceFaults { get; init; }
}

internal sealed record MqttFile(string? Host = null, long? Port = null, string? Username = null, string? ShareGroup = null, string? TlsCaFile = null, string? TlsCertFile = null, string? TlsKeyFile = null, [property: JsonPropertyName("keep_alive_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? KeepAlive = null);

internal sealed record DatabaseFile(string? ConnectionString = null);

internal sealed record ApiFile(string? Listen = null, string? PublicBaseUrl = null, long? MaxRequestBytes = null);

internal sealed record AccessFile(IReadOnlyList<string>? ApiTokenPermissions = null, IReadOnlyList<string>? ApiTokenCameras = null, IReadOnlyList<ApiUserFile>? Users = null, [property: JsonPropertyName("fetch_timeout_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? FetchTimeout = null);

internal sealed record ApiUserFile(string Name, string TokenEnv, IReadOnlyList<string>? Permissions = null, IReadOnlyList<string>? Cameras = null);

/// <param name="SpoolDir">No longer used; read only to say so.</param>
/// <param name="SpoolSync">No longer used; read only to say so.</param>
internal sealed record ConsumerFile(long? QueueCapacity = null, long? BatchSize = null, long? Connections = null, long? QueueMaxBytes = null, long? MaxEvidenceBytes = null, long? MaxClipBytes = null,
    long? MaxJsonBytes = null, long? DeadLetterKeepBytes = null, long? ReceiveMaximum = null, long? EvidenceReceiveMaximum = null, long? RejectLogPerMinute = null, string? SpoolDir = null, string? SpoolSync = null);

internal sealed record CorrelationFile(IReadOnlyDictionary<string, ScenarioCorrelationFile>? Scenarios = null);

internal sealed record ScenarioCorrelationFile([property: JsonPropertyName("window_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? Window = null, double? MinIou = null, double? RadiusM = null, [property: JsonPropertyName("cooldown_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? Cooldown = null, [property: JsonPropertyName("idle_close_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? IdleClose = null);

internal sealed record PlatformFile(string Url, string? Kind = null, [property: JsonPropertyName("request_timeout_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? RequestTimeout = null, [property: JsonPropertyName("poll_interval_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? PollInterval = null, [property: JsonPropertyName("outbox_poll_interval_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? OutboxPollInterval = null, [property: JsonPropertyName("callback_max_skew_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? CallbackMaxSkew = null,
    RetryFile? Retry = null, IReadOnlyDictionary<string, CategoryFile>? Categories = null);

internal sealed record RetryFile([property: JsonPropertyName("initial_delay_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? InitialDelay = null, [property: JsonPropertyName("max_delay_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? MaxDelay = null, long? MaxAttempts = null, [property: JsonPropertyName("max_age_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? MaxAge = null);

internal sealed record CategoryFile(string Class, string Subclass, string Code);

internal sealed record VerificationFile(bool? Enabled = null, [property: JsonPropertyName("reply_timeout_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? ReplyTimeout = null, long? MaxAttempts = null);

internal sealed record RetentionFile([property: JsonPropertyName("evidence_max_age_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? EvidenceMaxAge = null, double? EvidenceMaxBytes = null, [property: JsonPropertyName("clip_max_age_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? ClipMaxAge = null, double? ClipMaxBytes = null, [property: JsonPropertyName("dead_letters_max_age_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? DeadLettersMaxAge = null,
    double? DeadLettersMaxRows = null, [property: JsonPropertyName("interval_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? Interval = null);

internal sealed record ReviewFile(string? Default = null, IReadOnlyDictionary<string, string>? Scenarios = null, IReadOnlyDictionary<string, string>? Cameras = null,
    IReadOnlyDictionary<string, string>? Grids = null, [property: JsonPropertyName("timeout_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? Timeout = null, string? TimeoutAction = null, [property: JsonPropertyName("check_interval_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? CheckInterval = null);

internal sealed record GridsFile(string File);

internal sealed record RoutingFile(IReadOnlyList<RoutingRuleFile>? Rules = null, string? Fallback = null);

internal sealed record RoutingRuleFile(string Department, string? Scenario = null, string? Grid = null, string? Street = null, string? Community = null);

internal sealed record SupervisionFile(IReadOnlyDictionary<string, double>? DeadlinesS = null, [property: JsonPropertyName("default_deadline_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? DefaultDeadline = null, long? ReopenEscalateAfter = null, [property: JsonPropertyName("check_interval_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? CheckInterval = null);

internal sealed record CockpitFile(IReadOnlyDictionary<string, ThresholdFile>? Thresholds = null);

internal sealed record ThresholdFile(double? Yellow = null, double? Red = null);

internal sealed record DeviceFaultsFile([property: JsonPropertyName("after_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? After = null, bool? FileCases = null, string? Department = null, [property: JsonPropertyName("check_interval_s"), JsonConverter(typeof(SecondsJsonConverter))] TimeSpan? CheckInterval = null);
