using EdgeAi.Central.Devices;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Api;

/// <summary>
/// The three views the dashboard shows, each complete (a client replaces its view rather than patching it, so a missed
/// update can never leave it wrong): camera tiles, recent incidents with a thumbnail and their case, recent cases with
/// their status timelines. Served by <c>GET /api/v1/dashboard/*</c> and pushed by the live stream.
/// </summary>
internal sealed class DashboardViews(CentralStore store, TimeProvider time)
{
    /// <summary>Incidents and cases shown; older ones stay available through /api/v1/incidents and /api/v1/cases.</summary>
    public const int RecentLimit = 50;

    /// <summary>A camera's thumbnail is its newest evidence image from this far back at most.</summary>
    public static readonly TimeSpan ThumbnailWindow = TimeSpan.FromDays(7);

    public async Task<List<DashboardTile>> CamerasAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var devices = await store.ListDevicesAsync(ct).ConfigureAwait(false);
        var names = (await store.ListCamerasAsync(ct).ConfigureAwait(false)).ToDictionary(c => (c.DeviceId, c.CameraId), c => c.Name);
        var thumbnails = (await store.LatestEvidenceByCameraAsync(EvidenceKinds.Snapshot, now - ThumbnailWindow, ct).ConfigureAwait(false))
            .ToDictionary(e => (e.DeviceId, e.CameraId), e => e.EvidenceId);
        return DashboardTiles.Build(devices, names, thumbnails, now);
    }

    public async Task<List<object>> IncidentsAsync(CancellationToken ct)
    {
        var incidents = await store.ListIncidentsAsync(null, null, RecentLimit, ct).ConfigureAwait(false);
        var ids = incidents.Select(i => i.IncidentId).ToList();
        var thumbnails = await store.FirstEvidenceByIncidentAsync(ids, EvidenceKinds.Snapshot, ct).ConfigureAwait(false);
        var cases = await store.GetCasesForIncidentsAsync(ids, ct).ConfigureAwait(false);
        return incidents.Select(i => (object)new
        {
            incident = ApiFormat.Incident(i),
            thumbnail = thumbnails.TryGetValue(i.IncidentId, out var e) ? $"/api/v1/evidence/{e}" : null,
            @case = cases.TryGetValue(i.IncidentId, out var c) ? new { case_id = c.CaseId, c.State, platform_case_id = c.PlatformCaseId } : null,
        }).ToList();
    }

    public async Task<List<object>> CasesAsync(CancellationToken ct)
    {
        var cases = await store.ListCasesAsync(null, RecentLimit, ct).ConfigureAwait(false);
        var timelines = await store.GetTimelinesAsync(cases.Select(c => c.CaseId).ToList(), ct).ConfigureAwait(false);
        return cases.Select(c => (object)new { @case = ApiFormat.Case(c), timeline = timelines[c.CaseId].Select(ApiFormat.Timeline) }).ToList();
    }
}
