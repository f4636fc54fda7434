using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Incidents;

/// <summary>
/// Decides which incident an event belongs to (episode matches are resolved by the caller first):
/// <list type="bullet">
/// <item>same camera: boxes overlap with IoU ≥ t and the event is within W of the incident's events;</item>
/// <item>another camera: within R metres (haversine) of one of the incident's cameras and within W;</item>
/// <item>a closed incident matching by place is taken only within its cooldown (detections then are attached
/// to it); after the cooldown a new incident opens.</item>
/// </list>
/// Open incidents win over closed ones, same-camera overlap over distance, then the better score, then the most recent.
/// Pure function of the index: allocation-free apart from the caller's scratch list.
/// </summary>
internal static class IncidentCorrelator
{
    public static CorrelationMatch Find(IncidentIndex index, ScenarioCorrelation p, in CorrelationProbe probe, List<IncidentSnapshot> scratch)
    {
        scratch.Clear();
        index.Query(probe.Lat, probe.Lon, p.RadiusMetres, scratch);
        IncidentSnapshot? best = null;
        var bestRank = (Open: false, Reason: CorrelationReason.New, Score: double.MinValue);
        foreach (var incident in scratch)
        {
            if (probe.Time < incident.FirstSeen - p.Window) continue;
            if (incident.IsOpen)
            {
                if (probe.Time > incident.LastSeen + p.Window) continue;
            }
            else if (incident.ClosedAt is not { } closedAt || probe.Time > closedAt + p.Cooldown)
            {
                continue;
            }

            CorrelationReason reason;
            double score;
            var own = incident.Camera(probe.DeviceId, probe.CameraId);
            if (own is not null)
            {
                // The camera is already part of the incident: only an overlapping box is the same object.
                if (probe.Box is not { } box || own.LastBox is not { } last) continue;
                score = box.IoU(last);
                if (score < p.MinIou) continue;
                reason = CorrelationReason.SameCameraOverlap;
            }
            else
            {
                var nearest = double.MaxValue;
                foreach (var c in incident.Cameras) nearest = Math.Min(nearest, Geo.HaversineMetres(probe.Lat, probe.Lon, c.Lat, c.Lon));
                if (nearest > p.RadiusMetres) continue;
                score = 1 - nearest / p.RadiusMetres;
                reason = CorrelationReason.NearbyCamera;
            }

            var rank = (Open: incident.IsOpen, Reason: reason, Score: score);
            if (best is null || Better(rank, bestRank) || (rank == bestRank && incident.LastSeen > best.LastSeen))
            {
                best = incident;
                bestRank = rank;
            }
        }
        if (best is null) return new CorrelationMatch(null, CorrelationReason.New);
        return new CorrelationMatch(best, best.IsOpen ? bestRank.Reason : CorrelationReason.Cooldown);
    }

    private static bool Better((bool Open, CorrelationReason Reason, double Score) a, (bool Open, CorrelationReason Reason, double Score) b)
    {
        if (a.Open != b.Open) return a.Open;
        if (a.Reason != b.Reason) return a.Reason == CorrelationReason.SameCameraOverlap;
        return a.Score > b.Score;
    }
}
