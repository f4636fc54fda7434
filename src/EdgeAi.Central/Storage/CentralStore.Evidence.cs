using Dapper;

namespace EdgeAi.Central.Storage;

/// <summary>Evidence references (<c>evidence_meta</c>), fetch requests for on-device evidence and the access audit.</summary>
internal sealed partial class CentralStore
{
    internal const string InsertEvidenceMeta =
        """
        INSERT INTO evidence_meta (evidence_id, device_id, camera_id, incident_id, case_id, command_id, event_id, kind, content_type, bytes, sha256,
                                   width, height, start_time, end_time, blurred, delivery, created_at)
        VALUES (@EvidenceId, @DeviceId, @CameraId, @IncidentId, @CaseId, @CommandId, @EventId, @Kind, @ContentType, @Bytes, @Sha256,
                @Width, @Height, @StartTime, @EndTime, @Blurred, @DeliveryText, @CreatedAt)
        ON CONFLICT (evidence_id) DO NOTHING
        """;

    private const string MetaColumns = "m.*, CASE WHEN EXISTS (SELECT 1 FROM evidence v WHERE v.evidence_id = m.evidence_id) THEN 1 ELSE 0 END AS stored";

    /// <summary>Records references (the first one of an id wins: a later event repeating it changes nothing).</summary>
    public async Task AddEvidenceMetaAsync(IReadOnlyCollection<EvidenceMetaRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(new CommandDefinition(InsertEvidenceMeta, rows, cancellationToken: ct)).ConfigureAwait(false);
    }

    public Task<EvidenceMetaRow?> GetEvidenceMetaAsync(string evidenceId, CancellationToken ct) =>
        QuerySingleAsync<EvidenceMetaRow>($"SELECT {MetaColumns} FROM evidence_meta m WHERE m.evidence_id = @evidenceId", new { evidenceId }, ct);

    /// <summary>An incident's evidence (snapshots, crops, clips), in the order it was referenced.</summary>
    public Task<List<EvidenceMetaRow>> ListIncidentEvidenceAsync(string incidentId, CancellationToken ct) =>
        QueryAsync<EvidenceMetaRow>($"SELECT {MetaColumns} FROM evidence_meta m WHERE m.incident_id = @incidentId AND m.case_id IS NULL ORDER BY m.created_at, m.evidence_id", new { incidentId }, ct);

    /// <summary>The after-pictures verify replies brought for a case, oldest first.</summary>
    public Task<List<EvidenceMetaRow>> ListCaseAfterEvidenceAsync(string caseId, CancellationToken ct) =>
        QueryAsync<EvidenceMetaRow>($"SELECT {MetaColumns} FROM evidence_meta m WHERE m.case_id = @caseId ORDER BY m.created_at, m.evidence_id", new { caseId }, ct);

    public async Task<bool> IsEvidenceStoredAsync(string evidenceId, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM evidence WHERE evidence_id = @evidenceId", new { evidenceId }, cancellationToken: ct)).ConfigureAwait(false) > 0;
    }

    public async Task AddEvidenceRequestAsync(EvidenceRequestRow row, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO evidence_requests (command_id, evidence_id, device_id, camera_id, requested_by, requested_at, state, detail, done_at)
            VALUES (@CommandId, @EvidenceId, @DeviceId, @CameraId, @RequestedBy, @RequestedAt, @StateText, @Detail, @DoneAt)
            """, row, cancellationToken: ct)).ConfigureAwait(false);
    }

    public Task<EvidenceRequestRow?> GetEvidenceRequestAsync(string commandId, CancellationToken ct) =>
        QuerySingleAsync<EvidenceRequestRow>("SELECT * FROM evidence_requests WHERE command_id = @commandId", new { commandId }, ct);

    public Task<List<EvidenceRequestRow>> ListEvidenceRequestsAsync(string evidenceId, CancellationToken ct) =>
        QueryAsync<EvidenceRequestRow>("SELECT * FROM evidence_requests WHERE evidence_id = @evidenceId ORDER BY requested_at", new { evidenceId }, ct);

    /// <summary>Ends a pending request (delivered, error, timeout); false when it had already ended.</summary>
    public async Task<bool> CompleteEvidenceRequestAsync(string commandId, EvidenceRequestState state, string? detail, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE evidence_requests SET state = @state, detail = @detail, done_at = @at WHERE command_id = @commandId AND state = @pending",
            new { commandId, state = state.ToText(), pending = EvidenceRequestState.Pending.ToText(), detail, at = UnixMs.From(at) }, cancellationToken: ct)).ConfigureAwait(false) == 1;
    }

    public async Task AddEvidenceAccessAsync(EvidenceAccessRow row, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO evidence_access (at, principal, action, evidence_id, device_id, camera_id, allowed, reason)
            VALUES (@At, @Principal, @ActionText, @EvidenceId, @DeviceId, @CameraId, @Allowed, @Reason)
            """, row, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Audit rows, newest first; filtered by evidence id and/or principal when given.</summary>
    public Task<List<EvidenceAccessRow>> ListEvidenceAccessAsync(string? evidenceId, string? principal, int limit, CancellationToken ct) =>
        QueryAsync<EvidenceAccessRow>(
            "SELECT * FROM evidence_access WHERE (@evidenceId = '' OR evidence_id = @evidenceId) AND (@principal = '' OR principal = @principal) ORDER BY id DESC LIMIT @limit",
            new { evidenceId = evidenceId ?? "", principal = principal ?? "", limit }, ct);

    /// <summary>True when one of the case's outbox items of <paramref name="kind"/> has <paramref name="text"/> in its payload.</summary>
    public async Task<bool> OutboxMentionsAsync(string caseId, OutboxKind kind, string text, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM outbox WHERE case_id = @caseId AND kind = @kind AND payload LIKE @pattern",
            new { caseId, kind = kind.ToText(), pattern = "%" + text + "%" }, cancellationToken: ct)).ConfigureAwait(false) > 0;
    }

    /// <summary>Evidence bytes stored, pictures and clips apart (for stats and tests).</summary>
    public async Task<(long Pictures, long Clips)> EvidenceBytesAsync(CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        var pictures = await c.ExecuteScalarAsync<long?>(new CommandDefinition($"SELECT SUM(bytes) FROM evidence WHERE NOT ({ClipFilter})", cancellationToken: ct)).ConfigureAwait(false) ?? 0;
        var clips = await c.ExecuteScalarAsync<long?>(new CommandDefinition($"SELECT SUM(bytes) FROM evidence WHERE {ClipFilter}", cancellationToken: ct)).ConfigureAwait(false) ?? 0;
        return (pictures, clips);
    }

    /// <summary>Which stored evidence rows are clips (video); the rest are pictures. Each has its own retention budget.</summary>
    internal const string ClipFilter = "content_type LIKE 'video/%'";
}
