using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Cases;

/// <summary>
/// Moves cases through their states from platform reports (callbacks or polling) and verification replies, and
/// writes the work each change causes in the same transaction: on <c>resolved</c> a verification command to the
/// camera's worker; on a verification result a notification to the platform (and a reopened incident when the
/// camera still sees the problem).
/// </summary>
internal sealed partial class CaseWorkflow(
    CentralStore store,
    IIncidentReopener incidents,
    FilingBuilder filings,
    CentralOptions options,
    OutboxSignal signal,
    Diagnostics.CentralMetrics metrics,
    TimeProvider time,
    ILogger<CaseWorkflow> logger)
{
    /// <summary>Applies a platform report: a state, and optionally its evaluation (评价) of the case (recorded even when the state is unchanged).</summary>
    public async Task<StatusOutcome> ApplyPlatformStatusAsync(string reference, CaseState status, string? note, string source, CancellationToken ct, string? evaluation = null)
    {
        if (!CaseStates.FromPlatform.Contains(status)) return StatusOutcome.Invalid;
        var found = await store.FindCaseAsync(reference, ct).ConfigureAwait(false);
        if (found is null) return StatusOutcome.NotFound;
        var now = time.GetUtcNow();

        (CommandRow Row, OutboxRow Outbox)? verify = null;
        if (status == CaseState.Resolved && options.Verification.Enabled)
            verify = await PrepareVerificationAsync(found, now, ct).ConfigureAwait(false);

        var (before, applied) = await store.UpdateCaseAsync(found.CaseId, row =>
        {
            (string, string?)? eval = evaluation is null ? null : (evaluation, note);
            if (row.State == status)
                return eval is null ? null : new CaseUpdate(row.State, source, $"evaluation: {evaluation}{(note is null ? "" : ". " + note)}") { KeepState = true, Evaluation = eval };
            if (!CaseStates.CanMove(row.State, status))
                return new CaseUpdate(row.State, source, $"ignored report '{status.ToText()}' in state {row.State.ToText()}") { KeepState = true, Evaluation = eval };
            var update = new CaseUpdate(status, source, evaluation is null ? note : $"{note} (evaluation: {evaluation})".TrimStart()) { Evaluation = eval };
            return verify is { } v ? update with { Command = v.Row, Outbox = [v.Outbox] } : update;
        }, now, ct).ConfigureAwait(false);

        if (applied is null) return before is null ? StatusOutcome.NotFound : StatusOutcome.Unchanged;
        if (applied.KeepState && applied.Evaluation is not null && before!.State == status) return StatusOutcome.Applied;
        if (applied.KeepState)
        {
            LogIgnored(found.CaseId, status.ToText(), before!.State.ToText());
            return StatusOutcome.Ignored;
        }
        LogStatus(found.CaseId, before!.State.ToText(), status.ToText(), source);
        if (applied.Outbox.Count > 0) signal.Wake();
        return StatusOutcome.Applied;
    }

    /// <summary>The command asking the camera that saw the incident last to re-check its zone.</summary>
    private async Task<(CommandRow, OutboxRow)?> PrepareVerificationAsync(CaseRow c, DateTimeOffset now, CancellationToken ct)
    {
        var cameras = await store.GetIncidentCamerasAsync(c.IncidentId, ct).ConfigureAwait(false);
        var camera = cameras.OrderByDescending(x => x.LastSeen).FirstOrDefault();
        if (camera is null) return null;
        var command = new DeviceCommand(UuidV7.New(time), DeviceCommandTypes.Verify, camera.CameraId, camera.ZoneId, c.Scenario,
            Guid.TryParse(camera.LastEpisodeId, out var ep) ? ep : null, now);
        var ms = UnixMs.From(now);
        return (new CommandRow
        {
            CommandId = command.CommandId.ToString(), CaseId = c.CaseId, IncidentId = c.IncidentId, DeviceId = camera.DeviceId,
            CameraId = camera.CameraId, RequestedAt = ms,
        }, new OutboxRow
        {
            CaseId = c.CaseId, Kind = OutboxKind.Verify, Payload = JsonSerializer.Serialize(command, EdgeAiJsonContext.Default.DeviceCommand),
            CreatedAt = ms, NextAttemptAt = ms,
        });
    }

    /// <summary>Applies a worker's verification reply; returns why it was refused, or null when taken (or a harmless repeat).</summary>
    public async Task<string?> ApplyVerificationAsync(string deviceId, CommandReply reply, CancellationToken ct)
    {
        var command = await store.GetCommandAsync(reply.CommandId.ToString(), ct).ConfigureAwait(false);
        if (command is null) return $"reply to unknown command {reply.CommandId}";
        if (command.DeviceId != deviceId) return $"reply from {deviceId} to a command sent to {command.DeviceId}";
        var now = time.GetUtcNow();
        var result = reply.Result switch
        {
            CommandResult.Cleared => VerificationResult.Cleared,
            CommandResult.StillPresent => VerificationResult.StillPresent,
            CommandResult.Unverifiable => VerificationResult.Unverifiable,
            _ => VerificationResult.Error,
        };
        // the after-picture(s): linked to the case (its blob came on the evidence topic, correlation data = the command id)
        await store.AddEvidenceMetaAsync(reply.Evidence.Select(e => new EvidenceMetaRow
        {
            EvidenceId = e.Id, DeviceId = command.DeviceId, CameraId = command.CameraId, IncidentId = command.IncidentId, CaseId = command.CaseId,
            CommandId = command.CommandId, Kind = e.Kind, ContentType = e.ContentType, Bytes = e.Bytes, Sha256 = e.Sha256, Width = e.Width, Height = e.Height,
            Blurred = e.Blurred switch { true => 1, false => 0, null => null }, Delivery = EvidenceMetaRow.DeliveryOf(e),
            CreatedAt = UnixMs.From(now),
        }).ToList(), ct).ConfigureAwait(false);
        var evidence = await filings.BeforeAfterAsync(command.IncidentId, command.CaseId, command.CommandId, now, ct).ConfigureAwait(false);
        var pictures = reply.Evidence.Count == 0 ? "" : $" After: {string.Join(", ", reply.Evidence.Select(e => $"{e.Kind} {e.Id}"))}.";
        var reopen = false;
        var escalated = false;
        var taken = await store.CompleteCommandAsync(command, result, reply.Detail, row =>
        {
            if (row.State != CaseState.Resolved)
                return new CaseUpdate(row.State, "verification", $"verification result '{result.ToText()}' arrived in state {row.State.ToText()}; no change") { KeepState = true };
            switch (reply.Result)
            {
                case CommandResult.Cleared:
                    return new CaseUpdate(CaseState.Verified, "verification", $"camera {command.DeviceId}/{command.CameraId}: cleared. {reply.Detail}{pictures}".TrimEnd())
                    {
                        Outbox = [Notification(row, CaseState.Verified, "AI verification: the camera no longer sees the problem", evidence, now)],
                    };
                case CommandResult.StillPresent:
                    reopen = true;
                    var reopens = row.ReopenCount + 1;
                    var escalate = row.EscalatedAt is null && reopens >= options.Supervision.ReopenEscalateAfter ? $"reopened {reopens} times by the closure check" : null;
                    if (escalate is not null) escalated = true;
                    return new CaseUpdate(CaseState.Reopened, "verification", $"camera {command.DeviceId}/{command.CameraId}: still present. {reply.Detail}{pictures}".TrimEnd())
                    {
                        Reopened = true,
                        Escalation = escalate,
                        Outbox = escalate is null
                            ? [Notification(row, CaseState.Reopened, "AI verification: the camera still sees the problem", evidence, now)]
                            : [Notification(row, CaseState.Reopened, "AI verification: the camera still sees the problem", evidence, now), CaseSupervision.Notification(row, escalate, now)],
                    };
                case CommandResult.Unverifiable:
                    // not cleared: a frozen, black, occluded or moved camera cannot confirm anything; an operator looks at before and after
                    return new CaseUpdate(CaseState.Unverifiable, "verification",
                        $"camera {command.DeviceId}/{command.CameraId} cannot verify: {reply.Detail ?? "no reason given"}. An operator decides (verified or reopened).{pictures}");
                default:
                    return new CaseUpdate(row.State, "verification", $"verification failed on {command.DeviceId}/{command.CameraId}: {reply.Detail}") { KeepState = true };
            }
        }, now, ct).ConfigureAwait(false);
        if (!taken) return null;   // repeated reply
        LogVerification(command.CaseId, result.ToText());
        if (escalated) metrics.Escalated("reopened");
        if (reopen) await incidents.ReopenAsync(command.IncidentId, "verification: still present", ct).ConfigureAwait(false);
        signal.Wake();
        return null;
    }

    /// <summary>
    /// An operator's decision on a closure the camera could not check (state unverifiable), taken from the before and after
    /// pictures: verified or reopened (the platform is told, with both pictures; a reopened incident opens again).
    /// </summary>
    public async Task<StatusOutcome> DecideClosureAsync(string caseId, CaseState decision, string by, string? note, CancellationToken ct)
    {
        if (!CaseStates.ClosureDecisions.Contains(decision)) return StatusOutcome.Invalid;
        var c = await store.GetCaseAsync(caseId, ct).ConfigureAwait(false);
        if (c is null) return StatusOutcome.NotFound;
        var now = time.GetUtcNow();
        var evidence = await filings.BeforeAfterAsync(c.IncidentId, c.CaseId, null, now, ct).ConfigureAwait(false);
        var text = $"{by}: {(decision == CaseState.Verified ? "verified" : "still present")} by an operator from the before and after pictures{(note is null ? "" : ". " + note)}";
        var (before, applied) = await store.UpdateCaseAsync(caseId, row =>
        {
            if (row.State != CaseState.Unverifiable) return null;
            var notification = Notification(row, decision, decision == CaseState.Verified
                ? "Operator verification: the problem is gone" : "Operator verification: the problem is still there", evidence, now);
            return new CaseUpdate(decision, "operator", text) { Reopened = decision == CaseState.Reopened, Outbox = [notification] };
        }, now, ct).ConfigureAwait(false);
        if (applied is null) return before is null ? StatusOutcome.NotFound : StatusOutcome.Ignored;
        LogStatus(caseId, CaseState.Unverifiable.ToText(), decision.ToText(), "operator");
        if (decision == CaseState.Reopened) await incidents.ReopenAsync(c.IncidentId, "operator: still present after an unverifiable closure check", ct).ConfigureAwait(false);
        signal.Wake();
        return StatusOutcome.Applied;
    }

    /// <summary>
    /// Attached, blurred clips arrive on a later event of the episode (updated or ended), usually after the case was filed:
    /// the platform gets each as a notification (the case's current state, the clip's signed link; Idempotency-Key
    /// "clip-{case}-{evidence}"), once. A case not filed yet carries the clip in its filing instead; a final case gets nothing.
    /// </summary>
    public async Task ShareClipsAsync(IReadOnlyCollection<string> evidenceIds, CancellationToken ct)
    {
        foreach (var id in evidenceIds)
        {
            var meta = await store.GetEvidenceMetaAsync(id, ct).ConfigureAwait(false);
            if (meta?.IncidentId is null || !FilingBuilder.ForPlatform(meta)) continue;
            var c = await store.GetCaseForIncidentAsync(meta.IncidentId, ct).ConfigureAwait(false);
            if (c?.FiledAt is null || c.State.IsFinal()) continue;
            var key = $"clip-{c.CaseId}-{id}";
            if (await store.OutboxMentionsAsync(c.CaseId, OutboxKind.Notify, key, ct).ConfigureAwait(false)) continue;   // a redelivered event
            var now = time.GetUtcNow();
            var media = filings.Media(meta, now);
            var (_, applied) = await store.UpdateCaseAsync(c.CaseId, row => row.State.IsFinal() ? null
                : new CaseUpdate(row.State, "central", $"video clip {id} ({meta.Bytes} bytes) added; sent to the platform")
                {
                    KeepState = true, Outbox = [Notification(row, row.State, "Video clip of the incident added", [media], now, key)],
                }, now, ct).ConfigureAwait(false);
            if (applied is not null) signal.Wake();
        }
    }

    private static OutboxRow Notification(CaseRow c, CaseState status, string note, IReadOnlyList<CaseMedia> evidence, DateTimeOffset now, string? notificationId = null)
    {
        var n = new CaseNotification
        {
            NotificationId = notificationId ?? UuidV7.New().ToString(), CaseRef = c.CaseId, IncidentId = c.IncidentId, PlatformCaseId = c.PlatformCaseId,
            Status = status.ToText(), Note = note, At = now, Evidence = evidence,
        };
        var ms = UnixMs.From(now);
        return new OutboxRow { CaseId = c.CaseId, Kind = OutboxKind.Notify, Payload = JsonSerializer.Serialize(n, PlatformJson.Options), CreatedAt = ms, NextAttemptAt = ms };
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Case {CaseId}: {From} → {To} ({Source})")]
    private partial void LogStatus(string caseId, string from, string to, string source);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Case {CaseId}: report '{Status}' ignored in state {State}")]
    private partial void LogIgnored(string caseId, string status, string state);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Case {CaseId}: verification result {Result}")]
    private partial void LogVerification(string caseId, string result);
}
