using Dapper;

namespace EdgeAi.Central.Storage;

/// <summary>Queries behind the operator dashboard and its live stream (read-only; the same SQL on SQLite and PostgreSQL).</summary>
internal sealed partial class CentralStore
{
    /// <summary>
    /// High-water marks of everything the dashboard shows, in one round trip: when any of them moves, the dashboard's
    /// view is out of date. Cheap (aggregates over primary keys and small tables), so the live stream can poll it every
    /// second; polling the shared database rather than hooking this process's writes also sees what other Central
    /// instances wrote.
    /// </summary>
    public async Task<DashboardMarks> GetDashboardMarksAsync(CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleAsync<DashboardMarks>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM devices) AS devices,
                   (SELECT MAX(health_at) FROM devices) AS health_at,
                   (SELECT MAX(status_at) FROM devices) AS status_at,
                   (SELECT COUNT(*) FROM incidents) AS incidents,
                   (SELECT MAX(updated_at) FROM incidents) AS incidents_at,
                   (SELECT COUNT(*) FROM evidence) AS evidence,
                   (SELECT COUNT(*) FROM cases) AS cases,
                   (SELECT MAX(updated_at) FROM cases) AS cases_at,
                   (SELECT MAX(id) FROM case_timeline) AS timeline_id
            """, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The newest stored evidence image of <paramref name="kind"/> per camera, among events detected since <paramref name="since"/>.</summary>
    public Task<List<CameraEvidenceRow>> LatestEvidenceByCameraAsync(string kind, DateTimeOffset since, CancellationToken ct) =>
        QueryAsync<CameraEvidenceRow>(
            """
            SELECT device_id, camera_id, evidence_id FROM (
                SELECT e.device_id, e.camera_id, ee.evidence_id,
                       ROW_NUMBER() OVER (PARTITION BY e.device_id, e.camera_id ORDER BY e.detection_time DESC, ee.evidence_id) AS rn
                FROM events e
                JOIN event_evidence ee ON ee.event_id = e.event_id
                JOIN evidence v ON v.evidence_id = ee.evidence_id
                WHERE ee.kind = @kind AND e.detection_time >= @since
            ) latest WHERE rn = 1
            """, new { kind, since = UnixMs.From(since) }, ct);

    /// <summary>The first stored evidence image of <paramref name="kind"/> per incident, for the given incidents.</summary>
    public async Task<Dictionary<string, string>> FirstEvidenceByIncidentAsync(IReadOnlyCollection<string> incidentIds, string kind, CancellationToken ct)
    {
        if (incidentIds.Count == 0) return [];
        var rows = await QueryAsync<(string IncidentId, string EvidenceId)>(
            """
            SELECT incident_id, evidence_id FROM (
                SELECT e.incident_id, ee.evidence_id,
                       ROW_NUMBER() OVER (PARTITION BY e.incident_id ORDER BY e.detection_time, ee.evidence_id) AS rn
                FROM events e
                JOIN event_evidence ee ON ee.event_id = e.event_id
                JOIN evidence v ON v.evidence_id = ee.evidence_id
                WHERE ee.kind = @kind AND e.incident_id IN @incidentIds
            ) firsts WHERE rn = 1
            """, new { kind, incidentIds }, ct).ConfigureAwait(false);
        return rows.ToDictionary(r => r.IncidentId, r => r.EvidenceId);
    }

    /// <summary>The cases of the given incidents (at most one each).</summary>
    public async Task<Dictionary<string, CaseRow>> GetCasesForIncidentsAsync(IReadOnlyCollection<string> incidentIds, CancellationToken ct)
    {
        if (incidentIds.Count == 0) return [];
        var rows = await QueryAsync<CaseRow>("SELECT * FROM cases WHERE incident_id IN @incidentIds", new { incidentIds }, ct).ConfigureAwait(false);
        return rows.ToDictionary(c => c.IncidentId);
    }

    /// <summary>Status timelines of the given cases, oldest step first.</summary>
    public async Task<ILookup<string, TimelineRow>> GetTimelinesAsync(IReadOnlyCollection<string> caseIds, CancellationToken ct)
    {
        if (caseIds.Count == 0) return Array.Empty<TimelineRow>().ToLookup(t => t.CaseId);
        var rows = await QueryAsync<TimelineRow>("SELECT * FROM case_timeline WHERE case_id IN @caseIds ORDER BY id", new { caseIds }, ct).ConfigureAwait(false);
        return rows.ToLookup(t => t.CaseId);
    }
}

/// <summary>See <see cref="CentralStore.GetDashboardMarksAsync"/>.</summary>
internal sealed record DashboardMarks
{
    public long Devices { get; init; }
    public long? HealthAt { get; init; }
    public long? StatusAt { get; init; }
    public long Incidents { get; init; }
    public long? IncidentsAt { get; init; }
    public long Evidence { get; init; }
    public long Cases { get; init; }
    public long? CasesAt { get; init; }
    public long? TimelineId { get; init; }
}

/// <summary>A camera's newest evidence image.</summary>
internal sealed class CameraEvidenceRow
{
    public string DeviceId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string EvidenceId { get; set; } = "";
}
