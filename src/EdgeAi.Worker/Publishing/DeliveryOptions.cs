using EdgeAi.Messaging;
using EdgeAi.Models.Events;

namespace EdgeAi.Worker.Publishing;

/// <summary>Settings of the MQTT delivery side of the worker (<see cref="DeliveryService"/>).</summary>
internal sealed record DeliveryOptions
{
    /// <summary>Gateway id: the MQTT user name, the topic segment and <see cref="EdgeEvent.DeviceId"/>.</summary>
    public required string DeviceId { get; init; }

    /// <summary>Broker connection. Its <see cref="MqttClientOptions.ClientId"/> must be stable across restarts (persistent
    /// session); its <see cref="MqttClientOptions.Will"/> is replaced by the retained offline status.</summary>
    public required MqttClientOptions Mqtt { get; init; }

    /// <summary>Events published and not yet acknowledged at most (their evidence not counted). Default 64.</summary>
    public int InFlightWindow { get; init; } = 64;

    /// <summary>A PUBACK not received this long after the publish, while connected, restarts publishing from the oldest
    /// unacknowledged event. Default 60 s.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First wait after the broker refused an event (reason code ≥ 0x80); doubles up to <see cref="RetryMaxDelay"/>. Default 1 s.</summary>
    public TimeSpan RetryMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries of a refused event. Default 60 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Health snapshot period on edgeai/v1/{device}/health. Default 10 s.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Worker version announced in status and health.</summary>
    public string Version { get; init; } = typeof(DeliveryOptions).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!EdgeEventValidator.IsValidId(DeviceId)) throw new ArgumentException($"device id '{DeviceId}' must be 1-64 characters of [A-Za-z0-9._-]", nameof(DeviceId));
        if (InFlightWindow is < 1 or > 1000) throw new ArgumentException($"in-flight window must be 1..1000 (was {InFlightWindow})", nameof(InFlightWindow));
        if (AckTimeout <= TimeSpan.Zero) throw new ArgumentException("ack timeout must be > 0", nameof(AckTimeout));
        if (RetryMinDelay <= TimeSpan.Zero || RetryMaxDelay < RetryMinDelay) throw new ArgumentException("retry delays must be > 0 and min <= max", nameof(RetryMinDelay));
        if (HealthInterval <= TimeSpan.Zero) throw new ArgumentException("health interval must be > 0", nameof(HealthInterval));
    }
}
