using EdgeAi.Central.Storage;

namespace EdgeAi.Central.Incidents;

/// <summary>
/// An incident as held in the in-memory <see cref="IncidentIndex"/>: enough to correlate new events against it.
/// Mutated only under <see cref="IncidentService"/>'s lock.
/// </summary>
internal sealed class IncidentSnapshot
{
    public required Guid Id { get; init; }

    public required string Scenario { get; init; }

    public required string ZoneId { get; init; }

    /// <summary>Where it was first seen (the first camera's position).</summary>
    public required double Lat { get; init; }

    public required double Lon { get; init; }

    public IncidentState State { get; set; } = IncidentState.Open;

    public bool IsOpen => State == IncidentState.Open;

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? CloseReason { get; set; }

    public long EventCount { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public List<CameraTrack> Cameras { get; } = [];

    /// <summary>Episodes not yet ended; when the last one ends, the incident closes.</summary>
    public HashSet<Guid> ActiveEpisodes { get; } = [];

    /// <summary>Grid cells this incident is registered in (one per distinct camera cell).</summary>
    internal List<(long Row, long Col)> Cells { get; } = [];

    /// <summary>De-duplicates results within one index query without allocating.</summary>
    internal int QueryStamp { get; set; }

    public CameraTrack? Camera(string deviceId, string cameraId)
    {
        foreach (var c in Cameras)
        {
            if (c.Is(deviceId, cameraId)) return c;
        }
        return null;
    }

    /// <summary>The grid (网格) the first camera stands in; null outside every grid or without a grid layer.</summary>
    public string? GridCode { get; init; }
}
