using Dapper;

namespace EdgeAi.Central.Storage;

internal sealed partial class CentralStore
{
    internal static Task InsertOutboxAsync(WriteScope w, OutboxRow row, CancellationToken ct) => w.Connection.ExecuteAsync(new CommandDefinition(
        """
        INSERT INTO outbox (case_id, kind, payload, attempts, created_at, next_attempt_at, locked_by, locked_until, last_error, done_at, dead)
        VALUES (@CaseId, @KindText, @Payload, 0, @CreatedAt, @NextAttemptAt, NULL, NULL, NULL, NULL, 0)
        """, row, w.Transaction, cancellationToken: ct));

    /// <summary>
    /// Leases up to <paramref name="max"/> due outbox items to <paramref name="owner"/> until <paramref name="leaseUntil"/>.
    /// Items of one case are handed out in order: one waits while an earlier one of its case is unfinished.
    /// A lease that expires (its owner crashed) makes the item due again.
    /// </summary>
    public async Task<IReadOnlyList<OutboxRow>> ClaimOutboxAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken ct)
    {
        await using var w = await Dialect.BeginWriteAsync(["outbox-claim"], ct).ConfigureAwait(false);
        var rows = (await w.Connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            UPDATE outbox SET locked_by = @owner, locked_until = @until
            WHERE id IN (
                SELECT o.id FROM outbox o
                WHERE o.done_at IS NULL AND o.dead = 0 AND o.next_attempt_at <= @now AND (o.locked_until IS NULL OR o.locked_until < @now)
                  AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.case_id = o.case_id AND p.id < o.id AND p.done_at IS NULL AND p.dead = 0)
                ORDER BY o.next_attempt_at, o.id
                LIMIT @max)
            RETURNING *
            """, new { owner, until = UnixMs.From(leaseUntil), now = UnixMs.From(now), max }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false)).AsList();
        await w.CommitAsync(ct).ConfigureAwait(false);
        rows.Sort((a, b) => a.Id.CompareTo(b.Id));
        return rows;
    }

    /// <summary>When the earliest unfinished, not dead outbox item is due (null: nothing to do).</summary>
    public async Task<DateTimeOffset?> NextOutboxDueAsync(CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        var ms = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT MIN(CASE WHEN o.locked_until IS NOT NULL AND o.locked_until > o.next_attempt_at THEN o.locked_until ELSE o.next_attempt_at END)
            FROM outbox o
            WHERE o.done_at IS NULL AND o.dead = 0
              AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.case_id = o.case_id AND p.id < o.id AND p.done_at IS NULL AND p.dead = 0)
            """,
            cancellationToken: ct)).ConfigureAwait(false);
        return UnixMs.ToTime(ms);
    }

    /// <summary>
    /// Marks an outbox item done and, in the same transaction, applies <paramref name="decide"/> to its case (e.g.
    /// detected → filed with the platform's id). Returns false when the item was not leased to <paramref name="owner"/> any more.
    /// </summary>
    public async Task<bool> CompleteOutboxAsync(OutboxRow item, string owner, Func<CaseRow, CaseUpdate?>? decide, DateTimeOffset now, CancellationToken ct)
    {
        await using var w = await Dialect.BeginWriteAsync(["case:" + item.CaseId], ct).ConfigureAwait(false);
        var n = await w.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET done_at = @now, attempts = attempts + 1, last_error = NULL, locked_until = NULL WHERE id = @id AND done_at IS NULL",
            new { id = item.Id, now = UnixMs.From(now) }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (n == 0) return false;
        if (decide is not null) await ApplyCaseUpdateAsync(w, item.CaseId, decide, now, ct).ConfigureAwait(false);
        await w.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Records a failed attempt and when to try again, the lease kept until <paramref name="lockedUntil"/> (the owner retries
    /// in process; past it, after a crash, any instance may); for a filing also on the case (visible in the API).
    /// </summary>
    public async Task RetryOutboxAsync(OutboxRow item, string error, DateTimeOffset nextAttempt, DateTimeOffset? lockedUntil, DateTimeOffset now, CancellationToken ct)
    {
        await using var w = await Dialect.BeginWriteAsync(["case:" + item.CaseId], ct).ConfigureAwait(false);
        await w.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next, locked_until = @until WHERE id = @id",
            new { id = item.Id, error, next = UnixMs.From(nextAttempt), until = lockedUntil is { } u ? UnixMs.From(u) : (long?)null }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (item.Kind == OutboxKind.File)
        {
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cases SET attempts = attempts + 1, last_error = @error, updated_at = @now WHERE case_id = @caseId",
                new { caseId = item.CaseId, error, now = UnixMs.From(now) }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        }
        await w.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Parks an item as dead with its last error; a dead filing also moves the case to <paramref name="deadState"/>.</summary>
    public async Task ParkOutboxAsync(OutboxRow item, string error, CaseState? deadState, DateTimeOffset now, CancellationToken ct)
    {
        await using var w = await Dialect.BeginWriteAsync(["case:" + item.CaseId], ct).ConfigureAwait(false);
        await w.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET attempts = attempts + 1, last_error = @error, dead = 1, locked_until = NULL WHERE id = @id",
            new { id = item.Id, error }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (deadState is { } dead)
        {
            await ApplyCaseUpdateAsync(w, item.CaseId, _ => new CaseUpdate(dead, "central", $"{item.KindText} given up after {item.Attempts + 1} attempts: {error}"), now, ct).ConfigureAwait(false);
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cases SET attempts = attempts + 1, last_error = @error WHERE case_id = @caseId",
                new { caseId = item.CaseId, error }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        }
        else
        {
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO case_timeline (case_id, at, state, source, detail) SELECT case_id, @at, state, 'central', @detail FROM cases WHERE case_id = @caseId",
                new { caseId = item.CaseId, at = UnixMs.From(now), detail = $"{item.KindText} given up after {item.Attempts + 1} attempts: {error}" },
                w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        }
        await w.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Applies <paramref name="decide"/> to the case under its lock; returns the case before and the update applied (null: none).</summary>
    public async Task<(CaseRow? Before, CaseUpdate? Applied)> UpdateCaseAsync(string caseId, Func<CaseRow, CaseUpdate?> decide, DateTimeOffset now, CancellationToken ct)
    {
        await using var w = await Dialect.BeginWriteAsync(["case:" + caseId], ct).ConfigureAwait(false);
        var result = await ApplyCaseUpdateAsync(w, caseId, decide, now, ct).ConfigureAwait(false);
        await w.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    private async Task<(CaseRow? Before, CaseUpdate? Applied)> ApplyCaseUpdateAsync(WriteScope w, string caseId, Func<CaseRow, CaseUpdate?> decide, DateTimeOffset now, CancellationToken ct)
    {
        var before = await w.Connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            "SELECT * FROM cases WHERE case_id = @caseId", new { caseId }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (before is null) return (null, null);
        var update = decide(before);
        if (update is null) return (before, null);
        var at = UnixMs.From(now);
        if (!update.KeepState || update.PlatformCaseId is not null)
        {
            await w.Connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cases SET state = @state, updated_at = @at,
                    platform_case_id = COALESCE(@platformCaseId, platform_case_id),
                    filed_at = CASE WHEN @platformCaseId IS NOT NULL AND filed_at IS NULL THEN @at ELSE filed_at END,
                    last_error = CASE WHEN @platformCaseId IS NOT NULL THEN NULL ELSE last_error END
                WHERE case_id = @caseId
                """, new { caseId, state = (update.KeepState ? before.State : update.NewState).ToText(), at, platformCaseId = update.PlatformCaseId },
                w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        }
        await ApplyCaseLoopFieldsAsync(w, caseId, update, before, at, ct).ConfigureAwait(false);
        await w.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO case_timeline (case_id, at, state, source, detail) VALUES (@caseId, @at, @state, @source, @detail)",
            new { caseId, at, state = (update.KeepState ? before.State : update.NewState).ToText(), source = update.Source, detail = update.Detail },
            w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        foreach (var o in update.Outbox) await InsertOutboxAsync(w, o, ct).ConfigureAwait(false);
        if (update.Command is { } cmd)
        {
            await w.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO commands (command_id, case_id, incident_id, device_id, camera_id, requested_at, sent_at, result, detail, replied_at)
                VALUES (@CommandId, @CaseId, @IncidentId, @DeviceId, @CameraId, @RequestedAt, NULL, NULL, NULL, NULL)
                """, cmd, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        }
        return (before, update);
    }

    public async Task<CaseRow?> GetCaseAsync(string caseId, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition("SELECT * FROM cases WHERE case_id = @caseId", new { caseId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Finds a case by its id, its incident id (the idempotency key) or the platform's case id.</summary>
    public async Task<CaseRow?> FindCaseAsync(string reference, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.QueryFirstOrDefaultAsync<CaseRow>(new CommandDefinition(
            "SELECT * FROM cases WHERE case_id = @reference OR incident_id = @reference OR platform_case_id = @reference",
            new { reference }, cancellationToken: ct)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CaseRow>> ListCasesInStatesAsync(IReadOnlyCollection<CaseState> states, int max, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<CaseRow>(new CommandDefinition(
            $"SELECT * FROM cases WHERE {Dialect.InList("state", "states")} ORDER BY updated_at LIMIT @max", new { states = states.ToTexts(), max }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    public async Task<CommandRow?> GetCommandAsync(string commandId, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<CommandRow>(new CommandDefinition(
            "SELECT * FROM commands WHERE command_id = @commandId", new { commandId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Commands sent before <paramref name="sentBefore"/> and not answered.</summary>
    public async Task<List<CommandRow>> ListUnansweredCommandsAsync(DateTimeOffset sentBefore, int max, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<CommandRow>(new CommandDefinition(
            "SELECT * FROM commands WHERE result IS NULL AND sent_at IS NOT NULL AND sent_at < @before ORDER BY sent_at LIMIT @max",
            new { before = UnixMs.From(sentBefore), max }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    /// <summary>
    /// Sends an unanswered command again: a new verify outbox item with the first one's payload (same command id, so a late
    /// reply to either copy counts), the command's send time cleared and its attempts counted, and a timeline entry.
    /// False when another instance got there first or the reply arrived meanwhile.
    /// </summary>
    public async Task<bool> ResendCommandAsync(CommandRow command, DateTimeOffset now, CancellationToken ct)
    {
        await using var w = await Dialect.BeginWriteAsync(["case:" + command.CaseId], ct).ConfigureAwait(false);
        var n = await w.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE commands SET sent_at = NULL, attempts = attempts + 1 WHERE command_id = @id AND result IS NULL AND sent_at = @sentAt",
            new { id = command.CommandId, sentAt = command.SentAt }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (n == 0) return false;
        var payload = await w.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT payload FROM outbox WHERE case_id = @caseId AND kind = @kind AND payload LIKE @pattern ORDER BY id LIMIT 1",
            new { caseId = command.CaseId, kind = OutboxKind.Verify.ToText(), pattern = "%" + command.CommandId + "%" }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (payload is null) return false;   // rolled back: nothing to resend
        var ms = UnixMs.From(now);
        await InsertOutboxAsync(w, new OutboxRow { CaseId = command.CaseId, Kind = OutboxKind.Verify, Payload = payload, CreatedAt = ms, NextAttemptAt = ms }, ct).ConfigureAwait(false);
        await w.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO case_timeline (case_id, at, state, source, detail) SELECT case_id, @at, state, 'verification', @detail FROM cases WHERE case_id = @caseId",
            new { caseId = command.CaseId, at = ms, detail = $"no reply from {command.DeviceId}/{command.CameraId}; verification request sent again (attempt {command.Attempts + 1})" },
            w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        await w.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    public async Task MarkCommandSentAsync(string commandId, DateTimeOffset at, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE commands SET sent_at = @at WHERE command_id = @commandId AND sent_at IS NULL", new { commandId, at = UnixMs.From(at) }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a command's reply and applies <paramref name="decide"/> to its case, atomically; false when the
    /// command is unknown or already answered (a redelivered reply changes nothing).
    /// </summary>
    public async Task<bool> CompleteCommandAsync(CommandRow command, VerificationResult result, string? detail, Func<CaseRow, CaseUpdate?> decide, DateTimeOffset now, CancellationToken ct)
    {
        await using var w = await Dialect.BeginWriteAsync(["case:" + command.CaseId], ct).ConfigureAwait(false);
        var n = await w.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE commands SET result = @result, detail = @detail, replied_at = @at WHERE command_id = @id AND result IS NULL",
            new { id = command.CommandId, result = result.ToText(), detail, at = UnixMs.From(now) }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (n == 0) return false;
        await ApplyCaseUpdateAsync(w, command.CaseId, decide, now, ct).ConfigureAwait(false);
        await w.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The case-loop fields an update carries: review decision, deadline, escalation, reopen count, evaluation, closing time.</summary>
    private static async Task ApplyCaseLoopFieldsAsync(WriteScope w, string caseId, CaseUpdate update, CaseRow before, long at, CancellationToken ct)
    {
        var newState = update.KeepState ? before.State : update.NewState;
        var closing = newState != before.State && newState == CaseState.Closed;
        if (update.Review is null && update.DeadlineAt is null && update.Escalation is null && !update.Reopened && update.Evaluation is null && !closing) return;
        var r = update.Review;
        await w.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE cases SET
                reviewed_at = CASE WHEN @reviewed = 1 THEN @at ELSE reviewed_at END,
                reviewed_by = COALESCE(@by, reviewed_by), review_outcome = COALESCE(@outcome, review_outcome),
                review_reason = COALESCE(@reason, review_reason), review_note = COALESCE(@note, review_note),
                category_class = COALESCE(@class, category_class), category_subclass = COALESCE(@subclass, category_subclass), category_code = COALESCE(@code, category_code),
                deadline_at = COALESCE(@deadline, deadline_at),
                escalated_at = CASE WHEN @escalation IS NOT NULL AND escalated_at IS NULL THEN @at ELSE escalated_at END,
                escalation = COALESCE(escalation, @escalation),
                reopen_count = reopen_count + @reopened,
                evaluation = COALESCE(@evaluation, evaluation), evaluation_note = COALESCE(@evaluationNote, evaluation_note),
                closed_at = CASE WHEN @closing = 1 THEN @at ELSE closed_at END,
                updated_at = @at
            WHERE case_id = @caseId
            """,
            new
            {
                caseId, at, reviewed = r is null ? 0 : 1, by = r?.By, outcome = r?.Outcome.ToText(), reason = r?.Reason, note = r?.Note,
                @class = r?.Category?.Class, subclass = r?.Category?.Subclass, code = r?.Category?.Code,
                deadline = update.DeadlineAt, escalation = update.Escalation, reopened = update.Reopened ? 1 : 0,
                evaluation = update.Evaluation?.Value, evaluationNote = update.Evaluation?.Note, closing = closing ? 1 : 0,
            }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Held cases whose review time ran out by <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<CaseRow>> ListReviewDueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<CaseRow>(new CommandDefinition(
            "SELECT * FROM cases WHERE state = @state AND review_due_at <= @now ORDER BY review_due_at LIMIT @max",
            new { state = CaseState.Held.ToText(), now = UnixMs.From(now), max }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    /// <summary>Cases past their deadline by <paramref name="now"/>, not final and not yet escalated.</summary>
    public async Task<IReadOnlyList<CaseRow>> ListOverdueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<CaseRow>(new CommandDefinition(
            $"SELECT * FROM cases WHERE deadline_at <= @now AND escalated_at IS NULL AND NOT ({Dialect.InList("state", "final")}) ORDER BY deadline_at LIMIT @max",
            new { now = UnixMs.From(now), final = CaseStates.Final.ToTexts(), max }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    /// <summary>Reviewed cases counted by camera, rule, model, outcome and reason (what the detectors get wrong, and where).</summary>
    public async Task<IReadOnlyList<ReviewCountRow>> CountReviewsAsync(CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<ReviewCountRow>(new CommandDefinition(
            """
            SELECT device_id, camera_id, scenario, rule, model, review_outcome AS outcome, review_reason AS reason, COUNT(*) AS count
            FROM cases WHERE review_outcome IS NOT NULL
            GROUP BY device_id, camera_id, scenario, rule, model, review_outcome, review_reason
            ORDER BY device_id, camera_id, scenario, rule, model, review_outcome, review_reason
            """, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    /// <summary>Reviewed cases (confirmed and dismissed), oldest first, for the feedback dataset.</summary>
    public async Task<IReadOnlyList<CaseRow>> ListReviewedAsync(long afterMs, int max, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<CaseRow>(new CommandDefinition(
            "SELECT * FROM cases WHERE review_outcome IS NOT NULL AND reviewed_at > @afterMs ORDER BY reviewed_at, case_id LIMIT @max",
            new { afterMs, max }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }
}
