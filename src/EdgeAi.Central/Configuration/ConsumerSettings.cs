namespace EdgeAi.Central.Configuration;

/// <summary>MQTT consumer (key <c>consumer</c>).</summary>
internal sealed record ConsumerSettings
{
    /// <summary>Capacity of the channel between the MQTT network thread and the store; when full the network thread waits (back-pressure). Default 10 000.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>Messages written to the store per transaction, at most. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Evidence images larger than this are dead-lettered. Default 4 MiB.</summary>
    public int MaxEvidenceBytes { get; init; } = 4 << 20;

    /// <summary>Event, status, health and reply payloads larger than this are dead-lettered. Default 256 KiB.</summary>
    public int MaxJsonBytes { get; init; } = 256 << 10;

    /// <summary>Dead-lettered payloads are kept up to this many bytes. Default 64 KiB.</summary>
    public int DeadLetterKeepBytes { get; init; } = 64 << 10;
}
