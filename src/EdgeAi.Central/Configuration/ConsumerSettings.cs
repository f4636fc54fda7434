namespace EdgeAi.Central.Configuration;

/// <summary>MQTT consumer (key <c>consumer</c>).</summary>
internal sealed record ConsumerSettings
{
    /// <summary>Capacity of the channel between the MQTT network thread and the store; when full the network thread waits (back-pressure). Default 10 000.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>Payload bytes the channel may hold before the network thread waits (with <see cref="QueueCapacity"/>, bounds memory). Default 64 MiB.</summary>
    public long QueueMaxBytes { get; init; } = 64 << 20;

    /// <summary>
    /// MQTT connections that take the shared subscriptions (all in the instance's share group; the broker deals messages
    /// to them in turn). With <c>spool_sync=fsync</c> each message must be on disk before its connection's callback returns
    /// (the PUBACK follows it), so one connection waits out one fsync per message; several connections share each fsync
    /// (group commit). Default 8 (measured on the 2-core test VM: 1 connection 1 event per fsync, ~1 400/s; 4: 2.3, ~2 100/s; 8: ~4, ~2 300/s, where
    /// the store, not the disk, becomes the limit).
    /// </summary>
    public int Connections { get; init; } = 8;

    /// <summary>Messages written to the store per transaction, at most. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Evidence images larger than this are dead-lettered. Default 4 MiB.</summary>
    public int MaxEvidenceBytes { get; init; } = 4 << 20;

    /// <summary>Event, status, health and reply payloads larger than this are dead-lettered. Default 256 KiB.</summary>
    public int MaxJsonBytes { get; init; } = 256 << 10;

    /// <summary>Dead-lettered payloads are kept up to this many bytes. Default 64 KiB.</summary>
    public int DeadLetterKeepBytes { get; init; } = 64 << 10;

    /// <summary>Rejected messages logged per reason class per minute; the rest are stored and counted, not logged. Default 20.</summary>
    public int RejectLogPerMinute { get; init; } = 20;

    /// <summary>
    /// Folder of the inbound spool (<see cref="Consuming.InboundSpool"/>), one per instance. Default: beside the SQLite
    /// database, <c>spool-{instance_id}</c>; with PostgreSQL <c>/var/lib/edgeai-central/spool-{instance_id}</c>.
    /// </summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>
    /// <see cref="SpoolSyncMode.Fsync"/> (default): each message reaches the disk before the broker gets its PUBACK, so
    /// nothing acknowledged is lost even on power loss (one fsync per group of messages, see <see cref="Connections"/>).
    /// <see cref="SpoolSyncMode.Write"/>: written to the OS page cache only; safe against a Central crash or SIGKILL, not
    /// against power loss of the Central host; several times the throughput.
    /// </summary>
    public SpoolSyncMode SpoolSync { get; init; } = SpoolSyncMode.Fsync;

    public string ResolveSpoolDirectory(CentralOptions options)
    {
        if (SpoolDirectory is { Length: > 0 } dir) return dir;
        var name = "spool-" + new string(options.InstanceId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        if (options.Database.Provider == DatabaseProvider.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.Database.ConnectionString).DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:") return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, name);
        }
        return Path.Combine("/var/lib/edgeai-central", name);
    }
}

/// <summary>How the inbound spool makes a message durable before it is acknowledged (key <c>consumer.spool_sync</c>).</summary>
internal enum SpoolSyncMode
{
    /// <summary>fdatasync per message: survives power loss.</summary>
    Fsync,

    /// <summary>write(2) only: survives a process crash, not power loss.</summary>
    Write,
}
