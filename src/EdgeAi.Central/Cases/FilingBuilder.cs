using System.Globalization;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;

namespace EdgeAi.Central.Cases;

/// <summary>Builds what is sent to the platform for a case from the incident as stored now.</summary>
internal sealed class FilingBuilder(CentralStore store, MediaLinks media, CentralOptions options, TimeProvider time)
{
    public string CallbackUrl => media.BaseUrl + "/api/v1/platform/callback";

    public async Task<CaseFiling?> BuildAsync(string caseId, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(caseId, ct).ConfigureAwait(false);
        if (c is null) return null;
        if (c.Scenario == CameraFaultMonitor.Scenario) return await DeviceFaultAsync(c, ct).ConfigureAwait(false);
        var incident = await store.GetIncidentAsync(c.IncidentId, ct).ConfigureAwait(false);
        if (incident is null) return null;
        var cameras = await store.GetIncidentCamerasAsync(c.IncidentId, ct).ConfigureAwait(false);
        var evidence = await store.GetIncidentEvidenceAsync(c.IncidentId, 16, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var first = UnixMs.ToTime(incident.FirstSeen);
        var where = cameras.Count > 0 ? string.Join(", ", cameras.Select(x => $"{x.DeviceId}/{x.CameraId}")) : "?";
        return new CaseFiling
        {
            CaseRef = c.CaseId,
            IncidentId = c.IncidentId,
            Scenario = c.Scenario,
            Category = new CaseCategory(c.CategoryClass, c.CategorySubclass, c.CategoryCode),
            Title = $"{c.CategorySubclass}（{c.Scenario}）",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{c.CategoryClass}/{c.CategorySubclass}: detected by EdgeAi cameras {where} since {first:yyyy-MM-dd HH:mm:ss} UTC ({incident.EventCount} events). Incident {c.IncidentId}.{(c.GridCode is null ? "" : $" Grid {c.GridCode}.")}{(c.Department is null ? "" : $" Department: {c.Department}.")}{(c.ReviewNote is null ? "" : $" Reviewer: {c.ReviewNote}")}"),
            Lat = incident.Lat,
            Lon = incident.Lon,
            Cameras = cameras.Select(x => new CaseCamera(x.DeviceId, x.CameraId, x.Lat, x.Lon, x.ZoneId)).ToList(),
            FirstSeen = first,
            LastSeen = UnixMs.ToTime(incident.LastSeen),
            EventCount = incident.EventCount,
            Evidence = evidence.Select(e => new CaseMedia(e.EvidenceId, media.Create(e.EvidenceId, now), e.Sha256, e.ContentType)).ToList(),
            CallbackUrl = options.Platform.CallbackSecret is null ? null : CallbackUrl,
            Grid = c.GridCode is null ? null : options.Grids.Map.Get(c.GridCode) is { } g ? new CaseGrid(g.Code, g.Name, g.Street, g.Community) : new CaseGrid(c.GridCode, c.GridCode, null, null),
            Department = c.Department,
            Deadline = UnixMs.ToTime(c.DeadlineAt),
            ReviewNote = c.ReviewNote,
        };
    }

    /// <summary>A device-fault case (设备故障): no incident, the camera itself is the problem; its timeline says why.</summary>
    private async Task<CaseFiling?> DeviceFaultAsync(Storage.CaseRow c, CancellationToken ct)
    {
        var camera = (await store.ListCamerasAsync(ct).ConfigureAwait(false)).FirstOrDefault(x => x.DeviceId == c.DeviceId && x.CameraId == c.CameraId);
        var why = (await store.GetTimelineAsync(c.CaseId, ct).ConfigureAwait(false)).FirstOrDefault()?.Detail ?? $"camera {c.DeviceId}/{c.CameraId} in fault";
        var at = UnixMs.ToTime(c.CreatedAt);
        return new CaseFiling
        {
            CaseRef = c.CaseId, IncidentId = c.IncidentId, Scenario = c.Scenario,
            Category = new CaseCategory(c.CategoryClass, c.CategorySubclass, c.CategoryCode),
            Title = $"{c.CategorySubclass}（{c.DeviceId}/{c.CameraId}）",
            Description = why,
            Lat = camera?.Lat ?? 0, Lon = camera?.Lon ?? 0,
            Cameras = [new CaseCamera(c.DeviceId ?? "", c.CameraId ?? "", camera?.Lat ?? 0, camera?.Lon ?? 0, "")],
            FirstSeen = at, LastSeen = at, EventCount = 0, Evidence = [],
            CallbackUrl = options.Platform.CallbackSecret is null ? null : CallbackUrl,
            Grid = c.GridCode is null ? null : options.Grids.Map.Get(c.GridCode) is { } g ? new CaseGrid(g.Code, g.Name, g.Street, g.Community) : null,
            Department = c.Department,
            Deadline = UnixMs.ToTime(c.DeadlineAt),
        };
    }
}
