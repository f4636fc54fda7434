namespace EdgeAi.Central.Storage;

/// <summary>A rejected message with the reason; the payload is kept up to consumer.dead_letter_keep_bytes.</summary>
internal sealed class DeadLetterRow
{
    public long Id { get; set; }

    public string Topic { get; set; } = "";

    public string? DeviceId { get; set; }

    public string Reason { get; set; } = "";

    public byte[] Payload { get; set; } = [];

    public long PayloadBytes { get; set; }

    public long ReceivedAt { get; set; }

    /// <summary>The delivery's key (<see cref="Consuming.InboundMessage.Key"/>): a batch stored again after a failed attempt stores it once.</summary>
    public string? MessageKey { get; set; }
}
