namespace EdgeAi.Central.Incidents;

/// <summary>One camera's part in an in-memory incident. Mutated only by <see cref="IncidentService"/> under its lock.</summary>
internal sealed class CameraTrack
{
    public required string DeviceId { get; init; }

    public required string CameraId { get; init; }

    public required double Lat { get; set; }

    public required double Lon { get; set; }

    public required string ZoneId { get; init; }

    public Box? LastBox { get; set; }

    public Guid LastEpisodeId { get; set; }

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public long EventCount { get; set; }

    public bool Is(string deviceId, string cameraId) =>
        string.Equals(DeviceId, deviceId, StringComparison.Ordinal) && string.Equals(CameraId, cameraId, StringComparison.Ordinal);
}
