using Dapper;

namespace EdgeAi.Central.Storage;

/// <summary>Read-only queries for the API and the dashboard.</summary>
internal sealed partial class CentralStore
{
    private async Task<List<T>> QueryAsync<T>(string sql, object? args, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    private async Task<T?> QuerySingleAsync<T>(string sql, object? args, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.QueryFirstOrDefaultAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Newest first; <paramref name="state"/> and <paramref name="scenario"/> filter when given.</summary>
    public Task<List<IncidentRow>> ListIncidentsAsync(string? state, string? scenario, int limit, CancellationToken ct) =>
        QueryAsync<IncidentRow>(
            "SELECT * FROM incidents WHERE (@state = '' OR state = @state) AND (@scenario = '' OR scenario = @scenario) ORDER BY last_seen DESC, incident_id LIMIT @limit",
            new { state = state ?? "", scenario = scenario ?? "", limit }, ct);

    public Task<IncidentRow?> GetIncidentAsync(string incidentId, CancellationToken ct) =>
        QuerySingleAsync<IncidentRow>("SELECT * FROM incidents WHERE incident_id = @incidentId", new { incidentId }, ct);

    public Task<List<IncidentCameraRow>> GetIncidentCamerasAsync(string incidentId, CancellationToken ct) =>
        QueryAsync<IncidentCameraRow>("SELECT * FROM incident_cameras WHERE incident_id = @incidentId ORDER BY first_seen", new { incidentId }, ct);

    public Task<List<EventEvidenceRow>> GetIncidentEvidenceAsync(string incidentId, int limit, CancellationToken ct) =>
        QueryAsync<EventEvidenceRow>(
            """
            SELECT ee.* FROM event_evidence ee JOIN events e ON e.event_id = ee.event_id
            WHERE e.incident_id = @incidentId ORDER BY e.detection_time, ee.evidence_id LIMIT @limit
            """, new { incidentId, limit }, ct);

    public Task<CaseRow?> GetCaseForIncidentAsync(string incidentId, CancellationToken ct) =>
        QuerySingleAsync<CaseRow>("SELECT * FROM cases WHERE incident_id = @incidentId", new { incidentId }, ct);

    public Task<List<CaseRow>> ListCasesAsync(string? state, int limit, CancellationToken ct) =>
        QueryAsync<CaseRow>("SELECT * FROM cases WHERE (@state = '' OR state = @state) ORDER BY created_at DESC, case_id LIMIT @limit", new { state = state ?? "", limit }, ct);

    public Task<List<TimelineRow>> GetTimelineAsync(string caseId, CancellationToken ct) =>
        QueryAsync<TimelineRow>("SELECT * FROM case_timeline WHERE case_id = @caseId ORDER BY id", new { caseId }, ct);

    public Task<List<OutboxRow>> GetOutboxAsync(string caseId, CancellationToken ct) =>
        QueryAsync<OutboxRow>("SELECT * FROM outbox WHERE case_id = @caseId ORDER BY id", new { caseId }, ct);

    public Task<List<CommandRow>> GetCommandsAsync(string caseId, CancellationToken ct) =>
        QueryAsync<CommandRow>("SELECT * FROM commands WHERE case_id = @caseId ORDER BY requested_at", new { caseId }, ct);

    public Task<List<EventRow>> ListEventsAsync(string? incidentId, string? deviceId, int limit, CancellationToken ct) =>
        QueryAsync<EventRow>(
            "SELECT * FROM events WHERE (@incidentId = '' OR incident_id = @incidentId) AND (@deviceId = '' OR device_id = @deviceId) ORDER BY detection_time DESC, event_id LIMIT @limit",
            new { incidentId = incidentId ?? "", deviceId = deviceId ?? "", limit }, ct);

    public Task<EventRow?> GetEventAsync(string eventId, CancellationToken ct) =>
        QuerySingleAsync<EventRow>("SELECT * FROM events WHERE event_id = @eventId", new { eventId }, ct);

    public Task<EvidenceRow?> GetEvidenceAsync(string evidenceId, CancellationToken ct) =>
        QuerySingleAsync<EvidenceRow>("SELECT * FROM evidence WHERE evidence_id = @evidenceId", new { evidenceId }, ct);

    public Task<List<DeviceRow>> ListDevicesAsync(CancellationToken ct) =>
        QueryAsync<DeviceRow>("SELECT * FROM devices ORDER BY device_id", null, ct);

    public Task<List<CameraRow>> ListCamerasAsync(CancellationToken ct) =>
        QueryAsync<CameraRow>("SELECT * FROM cameras ORDER BY device_id, camera_id", null, ct);

    public Task<List<DeadLetterRow>> ListDeadLettersAsync(int limit, CancellationToken ct) =>
        QueryAsync<DeadLetterRow>("SELECT * FROM dead_letters ORDER BY id DESC LIMIT @limit", new { limit }, ct);

    /// <summary>Row counts by table and state, for /api/v1/stats and tests.</summary>
    public async Task<StoreCounts> CountAsync(CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        async Task<long> Scalar(string sql) => await c.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct)).ConfigureAwait(false);
        var byState = (await c.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM cases GROUP BY state", cancellationToken: ct)).ConfigureAwait(false))
            .ToDictionary(x => StoredText<CaseState>.Parse(x.State), x => x.Count);
        return new StoreCounts(
            await Scalar("SELECT COUNT(*) FROM events").ConfigureAwait(false),
            await Scalar("SELECT COUNT(*) FROM incidents").ConfigureAwait(false),
            await Scalar($"SELECT COUNT(*) FROM incidents WHERE state = {IncidentState.Open.ToSql()}").ConfigureAwait(false),
            await Scalar("SELECT COUNT(*) FROM cases").ConfigureAwait(false),
            byState,
            await Scalar("SELECT COUNT(*) FROM dead_letters").ConfigureAwait(false),
            await Scalar("SELECT COUNT(*) FROM evidence").ConfigureAwait(false),
            await Scalar("SELECT COUNT(*) FROM outbox WHERE done_at IS NULL AND dead = 0").ConfigureAwait(false),
            await Scalar("SELECT COUNT(*) FROM outbox WHERE dead = 1").ConfigureAwait(false));
    }
}
