namespace EdgeAi.Central.Storage;

/// <summary>An evidence image as received on edgeai/v1/{device}/evidence/{id}.</summary>
internal sealed class EvidenceRow
{
    public string EvidenceId { get; set; } = "";

    public string DeviceId { get; set; } = "";

    public string? EventId { get; set; }

    public string ContentType { get; set; } = "";

    public long Bytes { get; set; }

    public string Sha256 { get; set; } = "";

    public byte[] Data { get; set; } = [];

    public long ReceivedAt { get; set; }
}
