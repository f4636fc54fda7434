namespace EdgeAi.Central.Storage;

/// <summary>An evidence reference carried by an event; the image itself may arrive before or after it.</summary>
internal sealed class EventEvidenceRow
{
    public string EventId { get; set; } = "";

    public string EvidenceId { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public long Bytes { get; set; }

    public string ContentType { get; set; } = "";

    public string Kind { get; set; } = "";
}
