namespace EdgeAi.Central.Configuration;

// The shape of Central's config file (central.sample.json), key for key (snake_case by the reader's naming policy),
// as read by the shared JsonConfigFile: unknown keys, wrong types and missing required keys are reported there.
// Absent values are null; CentralConfigLoader checks ranges and meaning, applies the defaults of the settings records
// and the secrets from the environment, and builds CentralOptions. Durations are seconds (keys ending in _s).

internal sealed record CentralFile
{
    public string? InstanceId { get; init; }
    public string? LogLevel { get; init; }
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

internal sealed record MqttFile(string? Host = null, long? Port = null, string? Username = null, string? ShareGroup = null, string? TlsCaFile = null, string? TlsCertFile = null, string? TlsKeyFile = null, double? KeepAliveS = null);

internal sealed record DatabaseFile(string? ConnectionString = null);

internal sealed record ApiFile(string? Listen = null, string? PublicBaseUrl = null, long? MaxRequestBytes = null);

internal sealed record AccessFile(IReadOnlyList<string>? ApiTokenPermissions = null, IReadOnlyList<string>? ApiTokenCameras = null, IReadOnlyList<ApiUserFile>? Users = null, double? FetchTimeoutS = null);

internal sealed record ApiUserFile(string Name, string TokenEnv, IReadOnlyList<string>? Permissions = null, IReadOnlyList<string>? Cameras = null);

/// <param name="SpoolDir">No longer used; read only to say so.</param>
/// <param name="SpoolSync">No longer used; read only to say so.</param>
internal sealed record ConsumerFile(long? QueueCapacity = null, long? BatchSize = null, long? Connections = null, long? QueueMaxBytes = null, long? MaxEvidenceBytes = null, long? MaxClipBytes = null,
    long? MaxJsonBytes = null, long? DeadLetterKeepBytes = null, long? ReceiveMaximum = null, long? EvidenceReceiveMaximum = null, long? RejectLogPerMinute = null, string? SpoolDir = null, string? SpoolSync = null);

internal sealed record CorrelationFile(IReadOnlyDictionary<string, ScenarioCorrelationFile>? Scenarios = null);

internal sealed record ScenarioCorrelationFile(double? WindowS = null, double? MinIou = null, double? RadiusM = null, double? CooldownS = null, double? IdleCloseS = null);

internal sealed record PlatformFile(string Url, string? Kind = null, double? RequestTimeoutS = null, double? PollIntervalS = null, double? OutboxPollIntervalS = null, double? CallbackMaxSkewS = null,
    RetryFile? Retry = null, IReadOnlyDictionary<string, CategoryFile>? Categories = null);

internal sealed record RetryFile(double? InitialDelayS = null, double? MaxDelayS = null, long? MaxAttempts = null, double? MaxAgeS = null);

internal sealed record CategoryFile(string Class, string Subclass, string Code);

internal sealed record VerificationFile(bool? Enabled = null, double? ReplyTimeoutS = null, long? MaxAttempts = null);

internal sealed record RetentionFile(double? EvidenceMaxAgeS = null, double? EvidenceMaxBytes = null, double? ClipMaxAgeS = null, double? ClipMaxBytes = null, double? DeadLettersMaxAgeS = null,
    double? DeadLettersMaxRows = null, double? IntervalS = null);

internal sealed record ReviewFile(string? Default = null, IReadOnlyDictionary<string, string>? Scenarios = null, IReadOnlyDictionary<string, string>? Cameras = null,
    IReadOnlyDictionary<string, string>? Grids = null, double? TimeoutS = null, string? TimeoutAction = null, double? CheckIntervalS = null);

internal sealed record GridsFile(string File);

internal sealed record RoutingFile(IReadOnlyList<RoutingRuleFile>? Rules = null, string? Fallback = null);

internal sealed record RoutingRuleFile(string Department, string? Scenario = null, string? Grid = null, string? Street = null, string? Community = null);

internal sealed record SupervisionFile(IReadOnlyDictionary<string, double>? DeadlinesS = null, double? DefaultDeadlineS = null, long? ReopenEscalateAfter = null, double? CheckIntervalS = null);

internal sealed record CockpitFile(IReadOnlyDictionary<string, ThresholdFile>? Thresholds = null);

internal sealed record ThresholdFile(double? Yellow = null, double? Red = null);

internal sealed record DeviceFaultsFile(double? AfterS = null, bool? FileCases = null, string? Department = null, double? CheckIntervalS = null);
