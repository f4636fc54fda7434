namespace EdgeAi.Central.Configuration;

/// <summary>Broker connection (key <c>mqtt</c>). The password comes from EDGEAI_CENTRAL_MQTT_PASSWORD.</summary>
internal sealed record MqttSettings
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    public string Username { get; init; } = "central";

    public string? Password { get; init; }

    /// <summary>MQTT 5 shared-subscription group; every Central instance in the group gets a share. Default "central".</summary>
    public string ShareGroup { get; init; } = "central";

    /// <summary>CA file for TLS; null means plaintext.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>
    /// Client certificate (PEM) for brokers that require one (the shipped mosquitto-tls.conf: its CN, "central", is the
    /// MQTT user name the ACL applies to). With <see cref="TlsKeyFile"/>; needs <see cref="TlsCaFile"/>.
    /// </summary>
    public string? TlsCertFile { get; init; }

    /// <summary>Private key (PEM, unencrypted) of <see cref="TlsCertFile"/>; keep it readable by Central's user only.</summary>
    public string? TlsKeyFile { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);
}
