namespace EdgeAi.Messaging;

/// <summary>Connection settings for <see cref="MqttClient"/>. Defaults suit a loopback development broker.</summary>
public sealed record MqttClientOptions
{
    /// <summary>Broker host name or address. Default 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker port. Default 1883 (8883 is customary with TLS).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>MQTT client id; must be stable across restarts for a persistent session.</summary>
    public required string ClientId { get; init; }

    public string? Username { get; init; }

    /// <summary>Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>TLS settings; null means plaintext TCP.</summary>
    public MqttTlsOptions? Tls { get; init; }

    /// <summary>Keep-alive interval. Default 30 s.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>MQTT 5 clean start. Default false: the broker keeps subscriptions and queued QoS 1 messages.</summary>
    public bool CleanStart { get; init; }

    /// <summary>How long the broker keeps the session after a disconnect. Default 7 days.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Last will, published by the broker if this client vanishes without a clean disconnect.</summary>
    public MqttWill? Will { get; init; }

    /// <summary>First reconnect delay. Default 1 s; doubles (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Reconnect delay cap. Default 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a connection attempt (TCP, TLS, CONNECT → CONNACK) may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// MQTT 5 Receive Maximum: QoS 1 messages the broker may have unacknowledged on this connection (1-65535). Default 100,
    /// as mosquitto's <c>max_inflight_messages</c> in config/mosquitto.
    /// </summary>
    public ushort ReceiveMaximum { get; init; } = 100;

    /// <summary>
    /// False (default): a received QoS 1 message is acknowledged when the <see cref="MqttClient.MessageReceived"/> handlers
    /// return. True: the receiver acknowledges each one itself with <see cref="MqttMessage.Acknowledgement"/>, e.g. once it
    /// is durably stored; until then the broker keeps it (and redelivers it to the session after a reconnect).
    /// </summary>
    public bool AcknowledgeManually { get; init; }

    /// <summary>For logs: never includes the password.</summary>
    public string Describe() => $"{(Tls is null ? "mqtt" : "mqtts")}://{(Username is null ? "" : Username + "@")}{Host}:{Port} as {ClientId}";
}

/// <summary>TLS files (PEM). A client certificate and key are optional (username/password may be used instead).</summary>
public sealed record MqttTlsOptions(string CaFile, string? CertFile = null, string? KeyFile = null)
{
    /// <summary>Skip host name verification. Only for tests with ad-hoc certificates; default false.</summary>
    public bool Insecure { get; init; }
}

/// <summary>Last will and testament.</summary>
public sealed record MqttWill(string Topic, byte[] Payload, bool Retain = true, int Qos = 1);

/// <summary>A received application message. <see cref="Payload"/> is owned by the receiver.</summary>
public sealed record MqttMessage(string Topic, byte[] Payload, int Qos, bool Retain, string? ContentType, byte[]? CorrelationData)
{
    /// <summary>
    /// With <see cref="MqttClientOptions.AcknowledgeManually"/> and QoS 1: sends this message's PUBACK; null otherwise
    /// (QoS 0, or acknowledged by the client).
    /// </summary>
    public MqttAcknowledgement? Acknowledgement { get; init; }
}

/// <summary>Outcome of a publish as reported by the broker (MQTT 5 reason code; &lt; 0x80 is success).</summary>
public readonly record struct PublishResult(int ReasonCode, string Reason)
{
    /// <summary>MQTT 5 "No matching subscribers" (0x10): accepted, but nobody received it.</summary>
    public const int NoMatchingSubscribers = 0x10;

    public bool IsSuccess => ReasonCode < 0x80;

    /// <summary>The broker took the message and at least one subscription (or session) holds it.</summary>
    public bool IsDelivered => IsSuccess && ReasonCode != NoMatchingSubscribers;
}

public enum MqttConnectionState
{
    Stopped,
    Connecting,
    Connected,
    Disconnected,
}
