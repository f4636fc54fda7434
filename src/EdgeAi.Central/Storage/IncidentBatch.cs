using Dapper;

namespace EdgeAi.Central.Storage;

/// <summary>
/// One write transaction of incident correlation, holding the locks of its scenarios: every write to the incidents
/// of those scenarios happens inside one, and bumps the scenario's revision, so an instance whose cached
/// revision matches knows its in-memory index is current.
/// </summary>
/// <remarks>
/// The row writes take collections: Dapper runs a statement once per element on one command, so SQLite prepares it
/// once per batch instead of once per row (a profile of Central's ingest had SQLite's SQL parser among its top costs).
/// </remarks>
internal sealed class IncidentBatch(WriteScope scope, ISqlDialect dialect, CancellationToken ct) : IAsyncDisposable
{
    private static readonly string OpenOrRecent = $"(i.state = {IncidentState.Open.ToSql()} OR i.closed_at >= @closedAfter)";

    private CommandDefinition Cmd(string sql, object? args = null) => new(sql, args, scope.Transaction, cancellationToken: ct);

    public async Task<long> GetRevisionAsync(string scenario) =>
        await scope.Connection.ExecuteScalarAsync<long?>(Cmd("SELECT revision FROM scenario_revisions WHERE scenario = @scenario", new { scenario })).ConfigureAwait(false) ?? 0;

    public Task SetRevisionAsync(string scenario, long revision) => scope.Connection.ExecuteAsync(Cmd(
        """
        INSERT INTO scenario_revisions (scenario, revision) VALUES (@scenario, @revision)
        ON CONFLICT (scenario) DO UPDATE SET revision = excluded.revision
        """, new { scenario, revision }));

    /// <summary>Incidents of the scenario changed after <paramref name="afterRevision"/> that are open or closed after <paramref name="closedAfter"/>.</summary>
    public async Task<IReadOnlyList<IncidentRow>> LoadIncidentsAsync(string scenario, long afterRevision, long closedAfter) =>
        (await scope.Connection.QueryAsync<IncidentRow>(Cmd(
            $"SELECT i.* FROM incidents i WHERE i.scenario = @scenario AND i.revision > @afterRevision AND {OpenOrRecent}",
            new { scenario, afterRevision, closedAfter })).ConfigureAwait(false)).AsList();

    public async Task<IReadOnlyList<IncidentCameraRow>> LoadCamerasAsync(string scenario, long afterRevision, long closedAfter) =>
        (await scope.Connection.QueryAsync<IncidentCameraRow>(Cmd(
            $"SELECT c.* FROM incident_cameras c JOIN incidents i ON i.incident_id = c.incident_id WHERE i.scenario = @scenario AND i.revision > @afterRevision AND {OpenOrRecent}",
            new { scenario, afterRevision, closedAfter })).ConfigureAwait(false)).AsList();

    public async Task<IReadOnlyList<EpisodeRow>> LoadActiveEpisodesAsync(string scenario, long afterRevision, long closedAfter) =>
        (await scope.Connection.QueryAsync<EpisodeRow>(Cmd(
            $"SELECT e.* FROM episodes e JOIN incidents i ON i.incident_id = e.incident_id WHERE e.ended = 0 AND i.scenario = @scenario AND i.revision > @afterRevision AND {OpenOrRecent}",
            new { scenario, afterRevision, closedAfter })).ConfigureAwait(false)).AsList();

    /// <summary>Incidents changed after the revision that are neither open nor recently closed (to drop from the index).</summary>
    public async Task<IReadOnlyList<string>> LoadExpiredIdsAsync(string scenario, long afterRevision, long closedAfter) =>
        (await scope.Connection.QueryAsync<string>(Cmd(
            $"SELECT i.incident_id FROM incidents i WHERE i.scenario = @scenario AND i.revision > @afterRevision AND NOT {OpenOrRecent}",
            new { scenario, afterRevision, closedAfter })).ConfigureAwait(false)).AsList();

    public async Task<IncidentRow?> GetIncidentAsync(string incidentId) =>
        await scope.Connection.QuerySingleOrDefaultAsync<IncidentRow>(Cmd("SELECT * FROM incidents WHERE incident_id = @incidentId", new { incidentId })).ConfigureAwait(false);

    public async Task<IReadOnlyList<IncidentCameraRow>> GetCamerasAsync(string incidentId) =>
        (await scope.Connection.QueryAsync<IncidentCameraRow>(Cmd("SELECT * FROM incident_cameras WHERE incident_id = @incidentId", new { incidentId })).ConfigureAwait(false)).AsList();

    public async Task<IReadOnlyList<EpisodeRow>> GetActiveEpisodesAsync(string incidentId) =>
        (await scope.Connection.QueryAsync<EpisodeRow>(Cmd("SELECT * FROM episodes WHERE incident_id = @incidentId AND ended = 0", new { incidentId })).ConfigureAwait(false)).AsList();

    public async Task<HashSet<string>> ExistingEventIdsAsync(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return [];
        return (await scope.Connection.QueryAsync<string>(Cmd($"SELECT event_id FROM events WHERE {dialect.InList("event_id", "ids")}", new { ids = ids.ToList() })).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>episode id → incident id for the episodes already known.</summary>
    public async Task<Dictionary<string, string>> LookupEpisodesAsync(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return [];
        var rows = await scope.Connection.QueryAsync<(string EpisodeId, string IncidentId)>(Cmd(
            $"SELECT episode_id, incident_id FROM episodes WHERE {dialect.InList("episode_id", "ids")}", new { ids = ids.ToList() })).ConfigureAwait(false);
        return rows.ToDictionary(r => r.EpisodeId, r => r.IncidentId, StringComparer.Ordinal);
    }

    public Task UpsertIncidentsAsync(IReadOnlyCollection<IncidentRow> rows) => rows.Count == 0 ? Task.CompletedTask : scope.Connection.ExecuteAsync(Cmd(
        """
        INSERT INTO incidents (incident_id, scenario, state, lat, lon, zone_id, first_seen, last_seen, closed_at, close_reason, event_count, revision, created_at, updated_at, grid_code)
        VALUES (@IncidentId, @Scenario, @StateText, @Lat, @Lon, @ZoneId, @FirstSeen, @LastSeen, @ClosedAt, @CloseReason, @EventCount, @Revision, @CreatedAt, @UpdatedAt, @GridCode)
        ON CONFLICT (incident_id) DO UPDATE SET state = excluded.state, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
            closed_at = excluded.closed_at, close_reason = excluded.close_reason, event_count = excluded.event_count,
            revision = excluded.revision, updated_at = excluded.updated_at
        """, rows));

    public Task UpsertCamerasAsync(IReadOnlyCollection<IncidentCameraRow> rows) => rows.Count == 0 ? Task.CompletedTask : scope.Connection.ExecuteAsync(Cmd(
        """
        INSERT INTO incident_cameras (incident_id, device_id, camera_id, lat, lon, zone_id, last_box, last_episode_id, first_seen, last_seen, event_count)
        VALUES (@IncidentId, @DeviceId, @CameraId, @Lat, @Lon, @ZoneId, @LastBox, @LastEpisodeId, @FirstSeen, @LastSeen, @EventCount)
        ON CONFLICT (incident_id, device_id, camera_id) DO UPDATE SET lat = excluded.lat, lon = excluded.lon, last_box = excluded.last_box,
            last_episode_id = excluded.last_episode_id, last_seen = excluded.last_seen, event_count = excluded.event_count
        """, rows));

    /// <summary>Inserts each episode, or updates its last time and ended flag (once ended, stays ended).</summary>
    public Task UpsertEpisodesAsync(IReadOnlyCollection<EpisodeRow> rows) => rows.Count == 0 ? Task.CompletedTask : scope.Connection.ExecuteAsync(Cmd(
        """
        INSERT INTO episodes (episode_id, incident_id, device_id, camera_id, ended, first_seen, last_seen)
        VALUES (@EpisodeId, @IncidentId, @DeviceId, @CameraId, @Ended, @FirstSeen, @LastSeen)
        ON CONFLICT (episode_id) DO UPDATE SET
            ended = CASE WHEN excluded.ended > episodes.ended THEN excluded.ended ELSE episodes.ended END,
            last_seen = CASE WHEN excluded.last_seen > episodes.last_seen THEN excluded.last_seen ELSE episodes.last_seen END
        """, rows));

    public Task MarkEpisodesEndedAsync(string incidentId) =>
        scope.Connection.ExecuteAsync(Cmd("UPDATE episodes SET ended = 1 WHERE incident_id = @incidentId AND ended = 0", new { incidentId }));

    /// <summary>Inserts the events, then their evidence references.</summary>
    public async Task InsertEventsAsync(IReadOnlyCollection<EventRow> rows, IReadOnlyCollection<EventEvidenceRow> evidence)
    {
        if (rows.Count > 0)
        {
            await scope.Connection.ExecuteAsync(Cmd(
                """
                INSERT INTO events (event_id, episode_id, incident_id, device_id, camera_id, scenario, type, sequence, detection_time, received_at, payload)
                VALUES (@EventId, @EpisodeId, @IncidentId, @DeviceId, @CameraId, @Scenario, @Type, @Sequence, @DetectionTime, @ReceivedAt, @Payload)
                """, rows)).ConfigureAwait(false);
        }
        if (evidence.Count > 0)
        {
            await scope.Connection.ExecuteAsync(Cmd(
                """
                INSERT INTO event_evidence (event_id, evidence_id, sha256, bytes, content_type, kind)
                VALUES (@EventId, @EvidenceId, @Sha256, @Bytes, @ContentType, @Kind)
                ON CONFLICT (event_id, evidence_id) DO NOTHING
                """, evidence)).ConfigureAwait(false);
        }
    }

    /// <summary>Records evidence references (the first of an id wins).</summary>
    public Task InsertEvidenceMetaAsync(IReadOnlyCollection<EvidenceMetaRow> rows) =>
        rows.Count == 0 ? Task.CompletedTask : scope.Connection.ExecuteAsync(Cmd(CentralStore.InsertEvidenceMeta, rows));

    public Task UpsertCameraInfosAsync(IReadOnlyCollection<CameraRow> rows) => rows.Count == 0 ? Task.CompletedTask : scope.Connection.ExecuteAsync(Cmd(
        """
        INSERT INTO cameras (device_id, camera_id, name, lat, lon, last_event_at) VALUES (@DeviceId, @CameraId, @Name, @Lat, @Lon, @LastEventAt)
        ON CONFLICT (device_id, camera_id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon,
            last_event_at = CASE WHEN excluded.last_event_at > cameras.last_event_at THEN excluded.last_event_at ELSE cameras.last_event_at END
        """, rows));

    public Task UpsertDeviceSequenceAsync(string deviceId, long sequence, long at) => scope.Connection.ExecuteAsync(Cmd(
        """
        INSERT INTO devices (device_id, last_event_at, last_sequence) VALUES (@deviceId, @at, @sequence)
        ON CONFLICT (device_id) DO UPDATE SET
            last_event_at = CASE WHEN devices.last_event_at IS NULL OR excluded.last_event_at > devices.last_event_at THEN excluded.last_event_at ELSE devices.last_event_at END,
            last_sequence = CASE WHEN devices.last_sequence IS NULL OR excluded.last_sequence > devices.last_sequence THEN excluded.last_sequence ELSE devices.last_sequence END
        """, new { deviceId, sequence, at }));

    /// <summary>Creates the case of a new incident with its first timeline entry and outbox item (filing).</summary>
    /// <summary>Inserts a new case with its first timeline entry and, when it is filed at once, its filing outbox item.</summary>
    public async Task InsertCaseAsync(CaseRow row, string? detail, OutboxRow? file)
    {
        await scope.Connection.ExecuteAsync(Cmd(
            """
            INSERT INTO cases (case_id, incident_id, scenario, state, platform, platform_case_id, category_class, category_subclass, category_code, attempts, last_error, created_at, updated_at, filed_at,
                device_id, camera_id, model, rule, review_policy, review_due_at, grid_code, department, deadline_at)
            VALUES (@CaseId, @IncidentId, @Scenario, @StateText, @Platform, @PlatformCaseId, @CategoryClass, @CategorySubclass, @CategoryCode, 0, NULL, @CreatedAt, @UpdatedAt, NULL,
                @DeviceId, @CameraId, @Model, @Rule, @ReviewPolicy, @ReviewDueAt, @GridCode, @Department, @DeadlineAt)
            """, row)).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(Cmd(
            "INSERT INTO case_timeline (case_id, at, state, source, detail) VALUES (@CaseId, @CreatedAt, @State, 'central', @detail)",
            new { row.CaseId, row.CreatedAt, State = row.StateText, detail })).ConfigureAwait(false);
        if (file is not null) await CentralStore.InsertOutboxAsync(scope, file, ct).ConfigureAwait(false);
    }

    public Task CommitAsync() => scope.CommitAsync(ct);

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
