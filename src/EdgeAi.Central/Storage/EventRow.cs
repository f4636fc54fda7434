namespace EdgeAi.Central.Storage;

/// <summary>A stored edge event (payload is the original JSON).</summary>
internal sealed class EventRow
{
    public string EventId { get; set; } = "";

    public string EpisodeId { get; set; } = "";

    public string IncidentId { get; set; } = "";

    public string DeviceId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string Scenario { get; set; } = "";

    public string Type { get; set; } = "";

    public long Sequence { get; set; }

    public long DetectionTime { get; set; }

    public long ReceivedAt { get; set; }

    public string Payload { get; set; } = "";
}
