namespace EdgeAi.Central.Storage;

/// <summary>An edge episode (started → ended) and the one incident it belongs to.</summary>
internal sealed class EpisodeRow
{
    public string EpisodeId { get; set; } = "";

    public string IncidentId { get; set; } = "";

    public string DeviceId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public long Ended { get; set; }

    public long FirstSeen { get; set; }

    public long LastSeen { get; set; }
}
