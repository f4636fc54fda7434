using EdgeAi.Central.Storage;
using EdgeAi.Central.Configuration;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Incidents;

/// <summary>
/// How an incident changes with the events correlated into it: cameras and times extended, open while any episode is
/// active, closed when every episode ended, reopened when an episode of a closed incident comes back after the cooldown.
/// </summary>
internal static class IncidentLifecycle
{
    /// <summary>Folds one event (already correlated into <paramref name="incident"/> for <paramref name="reason"/>) into it.</summary>
    public static void Apply(IncidentSnapshot incident, EdgeEvent e, Box? box, IncidentIndex idx, ScenarioCorrelation p, CorrelationReason reason, DateTimeOffset now)
    {
        var camera = incident.Camera(e.DeviceId, e.Camera.Id);
        if (camera is null)
        {
            camera = new CameraTrack { DeviceId = e.DeviceId, CameraId = e.Camera.Id, Lat = e.Camera.Lat, Lon = e.Camera.Lon, ZoneId = e.Zone.Id, FirstSeen = e.DetectionTime, LastSeen = e.DetectionTime };
            incident.Cameras.Add(camera);
            idx.CameraAdded(incident, camera);
        }
        if (e.DetectionTime >= camera.LastSeen || camera.EventCount == 0)
        {
            camera.LastSeen = e.DetectionTime;
            camera.LastBox = box ?? camera.LastBox;
            camera.LastEpisodeId = e.EpisodeId;
        }
        if (e.DetectionTime < camera.FirstSeen) camera.FirstSeen = e.DetectionTime;
        camera.EventCount++;
        incident.EventCount++;
        if (e.DetectionTime > incident.LastSeen) incident.LastSeen = e.DetectionTime;
        if (e.DetectionTime < incident.FirstSeen) incident.FirstSeen = e.DetectionTime;

        // The same episode seen again after the cooldown: the problem never went away, so the incident reopens.
        if (!incident.IsOpen && reason == CorrelationReason.Episode && incident.ClosedAt is { } closedAt && e.DetectionTime > closedAt + p.Cooldown && e.Type != EventType.Ended)
            Reopen(incident);
        if (!incident.IsOpen) return;

        if (e.Type == EventType.Ended)
        {
            incident.ActiveEpisodes.Remove(e.EpisodeId);
            if (incident.ActiveEpisodes.Count == 0) Close(incident, now, "every episode ended");
        }
        else
        {
            incident.ActiveEpisodes.Add(e.EpisodeId);
        }
    }

    public static void Close(IncidentSnapshot incident, DateTimeOffset now, string reason)
    {
        incident.State = IncidentState.Closed;
        incident.ClosedAt = now;
        incident.CloseReason = reason;
        incident.ActiveEpisodes.Clear();
    }

    public static void Reopen(IncidentSnapshot incident)
    {
        incident.State = IncidentState.Open;
        incident.ClosedAt = null;
        incident.CloseReason = null;
    }
}
