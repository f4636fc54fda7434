using System.Globalization;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Events;

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
        var now = time.GetUtcNow();
        var evidence = await IncidentMediaAsync(c.IncidentId, now, ct).ConfigureAwait(false);
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
            Evidence = evidence,
            CallbackUrl = options.Platform.CallbackSecret is null ? null : CallbackUrl,
            Grid = c.GridCode is null ? null : options.Grids.Map.Get(c.GridCode) is { } g ? new CaseGrid(g.Code, g.Name, g.Street, g.Community) : new CaseGrid(c.GridCode, c.GridCode, null, null),
            Department = c.Department,
            Deadline = UnixMs.ToTime(c.DeadlineAt),
            ReviewNote = c.ReviewNote,
        };
    }

    /// <summary>
    /// Evidence the platform may have: what travelled with the events (attached) and does not show people unblurred. An
    /// on-gateway clip, or anything the gateway marked unblurred, stays behind Central's access control.
    /// </summary>
    public static bool ForPlatform(EvidenceMetaRow m) => !m.OnDevice && !m.IsUnblurred;

    private static int Rank(string kind) => kind switch { EvidenceKinds.Snapshot => 0, EvidenceKinds.Crop => 1, EvidenceKinds.Clip => 2, _ => 3 };

    public CaseMedia Media(EvidenceMetaRow m, DateTimeOffset now, string? kind = null) => new(m.EvidenceId, media.Create(m.EvidenceId, now), m.Sha256, m.ContentType, kind ?? m.Kind);

    /// <summary>An incident's evidence for the platform with signed links: snapshots first (Open311's media_url is the first), then crops, clips; 16 at most.</summary>
    public async Task<IReadOnlyList<CaseMedia>> IncidentMediaAsync(string incidentId, DateTimeOffset now, CancellationToken ct) =>
        (await store.ListIncidentEvidenceAsync(incidentId, ct).ConfigureAwait(false))
            .Where(ForPlatform).OrderBy(m => Rank(m.Kind)).Take(16).Select(m => Media(m, now)).ToList();

    /// <summary>
    /// Before and after, as sent back with a closure check's result: the incident's first snapshot (kind "before") and the
    /// after-pictures of the case (kind "after"), each with a signed link.
    /// </summary>
    public async Task<IReadOnlyList<CaseMedia>> BeforeAfterAsync(string incidentId, string caseId, string? commandId, DateTimeOffset now, CancellationToken ct)
    {
        var list = new List<CaseMedia>();
        var before = (await store.ListIncidentEvidenceAsync(incidentId, ct).ConfigureAwait(false)).Where(ForPlatform).OrderBy(m => Rank(m.Kind)).FirstOrDefault(m => m.Kind == EvidenceKinds.Snapshot);
        if (before is not null) list.Add(Media(before, now, "before"));
        list.AddRange((await store.ListCaseAfterEvidenceAsync(caseId, ct).ConfigureAwait(false))
            .Where(m => ForPlatform(m) && (commandId is null || m.CommandId == commandId)).Select(m => Media(m, now, "after")));
        return list;
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
