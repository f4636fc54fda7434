using EdgeAi.Models.Devices;

namespace EdgeAi.Worker.Outbox;

/// <summary>What the outbox holds, for health and metrics. Shed counters are totals since it was opened.</summary>
/// <param name="Bytes">Payload bytes held (event JSON plus evidence); the file is larger by SQLite's page overhead.</param>
/// <param name="OldestEnqueuedAt">Enqueue time of the oldest event held; null when empty.</param>
internal readonly record struct OutboxDepth(long Events, long EvidenceBlobs, long Bytes, DateTimeOffset? OldestEnqueuedAt, long ShedEvents, long ShedEvidence)
{
    public TimeSpan OldestAge(DateTimeOffset now) => OldestEnqueuedAt is { } t && now > t ? now - t : TimeSpan.Zero;

    public OutboxHealth ToHealth(DateTimeOffset now) =>
        new(Events, EvidenceBlobs, Bytes, Math.Round(OldestAge(now).TotalSeconds, 3), ShedEvents, ShedEvidence);
}
