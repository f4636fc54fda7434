namespace EdgeAi.Central.Storage;

/// <summary>One camera's part in an incident: where it is, its last box and episode.</summary>
internal sealed class IncidentCameraRow
{
    public string IncidentId { get; set; } = "";

    public string DeviceId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public double Lat { get; set; }

    public double Lon { get; set; }

    public string ZoneId { get; set; } = "";

    public string? LastBox { get; set; }

    public string LastEpisodeId { get; set; } = "";

    public long FirstSeen { get; set; }

    public long LastSeen { get; set; }

    public long EventCount { get; set; }
}
