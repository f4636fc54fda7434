namespace EdgeAi.Models.Devices;

/// <summary>Delivery backlog of a worker's durable outbox, in a <see cref="DeviceHealth"/> snapshot.</summary>
/// <param name="Events">Events not yet acknowledged by the broker.</param>
/// <param name="EvidenceBlobs">Evidence blobs not yet acknowledged.</param>
/// <param name="Bytes">Payload bytes held (events plus evidence).</param>
/// <param name="OldestAgeS">Age of the oldest event held, seconds; 0 when empty.</param>
/// <param name="ShedEvents">Events dropped by the overflow policy since start.</param>
/// <param name="ShedEvidence">Evidence blobs dropped by the overflow policy since start.</param>
public sealed record OutboxHealth(long Events, long EvidenceBlobs, long Bytes, double OldestAgeS, long ShedEvents, long ShedEvidence);
