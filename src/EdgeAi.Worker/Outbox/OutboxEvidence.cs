namespace EdgeAi.Worker.Outbox;

/// <summary>A stored evidence blob of an <see cref="OutboxEntry"/>.</summary>
internal sealed record OutboxEvidence(string EvidenceId, string ContentType, byte[] Data);
