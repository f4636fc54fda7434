namespace EdgeAi.Worker.Outbox;

/// <summary>An event waiting in the outbox, as stored: <see cref="Payload"/> is the event JSON with its sequence and no publish time.</summary>
/// <param name="RowId">Outbox row id; increases with <see cref="Sequence"/> for a device. Pass it to <see cref="EventOutbox.AcknowledgeAsync"/>.</param>
/// <param name="Evidence">Blobs not shed yet, in insertion order.</param>
internal sealed record OutboxEntry(
    long RowId,
    string DeviceId,
    long Sequence,
    Guid EventId,
    byte[] Payload,
    IReadOnlyList<OutboxEvidence> Evidence,
    DateTimeOffset EnqueuedAt);
