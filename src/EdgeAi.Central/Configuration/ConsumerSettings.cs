namespace EdgeAi.Central.Configuration;

/// <summary>MQTT consumer (key <c>consumer</c>).</summary>
internal sealed record ConsumerSettings
{
    /// <summary>Capacity of the channel between the MQTT connections and the store; at least <see cref="Connections"/> × <see cref="ReceiveMaximum"/>. Default 10 000.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>Payload bytes the channel may hold before a connection's message loop waits (with <see cref="QueueCapacity"/>, bounds memory). Default 64 MiB.</summary>
    public long QueueMaxBytes { get; init; } = 64 << 20;

    /// <summary>
    /// MQTT connections that take the shared subscriptions (all in the instance's share group; the broker deals messages
    /// to them in turn). Each holds up to <see cref="ReceiveMaximum"/> messages unacknowledged while they are stored. Default 8.
    /// </summary>
    public int Connections { get; init; } = 8;

    /// <summary>
    /// MQTT 5 Receive Maximum of each consumer connection: QoS 1 messages the broker may send before Central acknowledges
    /// them. Central acknowledges a message only once it is stored, so this is the window that keeps the store's batches
    /// full (connections × receive maximum messages wait on one commit at most), and it bounds the memory those messages
    /// take (a flood of 300 KB payloads grew RSS by 266 MiB with 1 000). Default 100 (mosquitto's max_inflight_messages in config/mosquitto).
    /// </summary>
    public int ReceiveMaximum { get; init; } = 100;

    /// <summary>
    /// Receive Maximum of the evidence connection (its own lane, so clips never wait in front of events): blobs in flight
    /// before Central acknowledges them; with 16 MiB clips, 8 bound the lane's memory to 128 MiB. Default 8.
    /// </summary>
    public int EvidenceReceiveMaximum { get; init; } = 8;

    /// <summary>Messages written to the store per transaction, at most. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Evidence images larger than this are dead-lettered. Default 4 MiB.</summary>
    public int MaxEvidenceBytes { get; init; } = 4 << 20;

    /// <summary>Video clips (video/mp4) larger than this are dead-lettered. Default 16 MiB (the gateway's attached-clip limit).</summary>
    public int MaxClipBytes { get; init; } = 16 << 20;

    /// <summary>Event, status, health and reply payloads larger than this are dead-lettered. Default 256 KiB.</summary>
    public int MaxJsonBytes { get; init; } = 256 << 10;

    /// <summary>Dead-lettered payloads are kept up to this many bytes. Default 64 KiB.</summary>
    public int DeadLetterKeepBytes { get; init; } = 64 << 10;

    /// <summary>Rejected messages logged per reason class per minute; the rest are stored and counted, not logged. Default 20.</summary>
    public int RejectLogPerMinute { get; init; } = 20;

}
