namespace EdgeAi.Worker.Outbox;

/// <summary>Settings of the durable event outbox (<see cref="EventOutbox"/>).</summary>
internal sealed record OutboxOptions
{
    /// <summary>SQLite database file; its folder is created. The WAL (-wal) and index (-shm) files live beside it.</summary>
    public required string Path { get; init; }

    /// <summary>Budget for payload bytes held (event JSON plus evidence blobs). Default 1 GiB. Over it, evidence is shed
    /// first (oldest first), then the oldest events; the newest event is always kept.</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>Events (with their evidence) older than this are shed. Default 7 days.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often the age limit is enforced when nothing is written. Default 1 minute.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Most queued writes committed together in one transaction (group commit, one fsync). Default 256.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("outbox path is required", nameof(Path));
        if (MaxBytes <= 0) throw new ArgumentException($"outbox max bytes must be > 0 (was {MaxBytes})", nameof(MaxBytes));
        if (MaxAge <= TimeSpan.Zero) throw new ArgumentException($"outbox max age must be > 0 (was {MaxAge})", nameof(MaxAge));
        if (MaintenanceInterval <= TimeSpan.Zero) throw new ArgumentException("outbox maintenance interval must be > 0", nameof(MaintenanceInterval));
        if (MaxBatch is < 1 or > 10_000) throw new ArgumentException($"outbox max batch must be 1..10000 (was {MaxBatch})", nameof(MaxBatch));
    }
}
