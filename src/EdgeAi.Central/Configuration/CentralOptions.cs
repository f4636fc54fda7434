using EdgeAi.Observability.Logging;

namespace EdgeAi.Central.Configuration;

/// <summary>Everything Central is configured with: one JSON file plus secrets from environment variables.</summary>
internal sealed record CentralOptions
{
    /// <summary>The file the options came from (for messages); "(built in)" for options made in code.</summary>
    public string ConfigFile { get; init; } = "(built in)";

    /// <summary>Names this instance in outbox leases and its MQTT client id. Default: host name + process id.</summary>
    public string InstanceId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public required MqttSettings Mqtt { get; init; }

    public required DatabaseSettings Database { get; init; }

    public required ApiSettings Api { get; init; }

    public ConsumerSettings Consumer { get; init; } = new();

    public AccessSettings Access { get; init; } = new();

    public CorrelationSettings Correlation { get; init; } = new();

    public required PlatformSettings Platform { get; init; }

    public VerificationSettings Verification { get; init; } = new();

    public RetentionSettings Retention { get; init; } = new();

    public ReviewSettings Review { get; init; } = new();

    public GridSettings Grids { get; init; } = new();

    public RoutingSettings Routing { get; init; } = new();

    public SupervisionSettings Supervision { get; init; } = new();

    public DeviceFaultSettings DeviceFaults { get; init; } = new();

    public CockpitSettings Cockpit { get; init; } = new();

    /// <summary>Serilog minimum level: Verbose, Debug, Information, Warning, Error. Default Information.</summary>
    public LoggingLevel LogLevel { get; init; } = LoggingLevel.Information;

    /// <summary>log_json: one JSON object per line on stdout (journald). Default false.</summary>
    public bool LogJson { get; init; }

    /// <summary>log_file: optional JSON log file, rolled daily; null = stdout only.</summary>
    public string? LogFile { get; init; }
}
