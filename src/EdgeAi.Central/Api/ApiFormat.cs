using System.Text.Json;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Api;

/// <summary>Shapes stored rows for the API: times as ISO 8601 UTC, stored JSON as JSON.</summary>
internal static class ApiFormat
{
    public static DateTimeOffset Time(long ms) => UnixMs.ToTime(ms);

    public static DateTimeOffset? Time(long? ms) => UnixMs.ToTime(ms);

    public static JsonElement? Json(string? json) => StoredJson.Parse(json);

    public static object Incident(IncidentRow i) => new
    {
        incident_id = i.IncidentId, i.Scenario, i.State, i.Lat, i.Lon, zone_id = i.ZoneId,
        first_seen = Time(i.FirstSeen), last_seen = Time(i.LastSeen), closed_at = Time(i.ClosedAt), close_reason = i.CloseReason,
        event_count = i.EventCount, updated_at = Time(i.UpdatedAt), grid_code = i.GridCode,
    };

    public static object Camera(IncidentCameraRow c) => new
    {
        device_id = c.DeviceId, camera_id = c.CameraId, c.Lat, c.Lon, zone_id = c.ZoneId, last_box = c.LastBox,
        first_seen = Time(c.FirstSeen), last_seen = Time(c.LastSeen), event_count = c.EventCount,
    };

    public static object Case(CaseRow c) => new
    {
        case_id = c.CaseId, incident_id = c.IncidentId, c.Scenario, c.State, c.Platform, platform_case_id = c.PlatformCaseId,
        category = new { @class = c.CategoryClass, subclass = c.CategorySubclass, code = c.CategoryCode },
        c.Attempts, last_error = c.LastError, created_at = Time(c.CreatedAt), updated_at = Time(c.UpdatedAt), filed_at = Time(c.FiledAt),
        device_id = c.DeviceId, camera_id = c.CameraId, c.Model, c.Rule, grid_code = c.GridCode, c.Department,
        review = new
        {
            policy = c.ReviewPolicy, due_at = Time(c.ReviewDueAt), reviewed_at = Time(c.ReviewedAt), reviewed_by = c.ReviewedBy,
            outcome = c.ReviewOutcome, reason = c.ReviewReason, note = c.ReviewNote,
        },
        deadline_at = Time(c.DeadlineAt), escalated_at = Time(c.EscalatedAt), c.Escalation, reopen_count = c.ReopenCount,
        c.Evaluation, evaluation_note = c.EvaluationNote, closed_at = Time(c.ClosedAt),
    };

    public static object Timeline(TimelineRow t) => new { at = Time(t.At), t.State, t.Source, t.Detail };

    public static object Outbox(OutboxRow o) => new
    {
        o.Id, o.Kind, o.Attempts, created_at = Time(o.CreatedAt), next_attempt_at = Time(o.NextAttemptAt), last_error = o.LastError,
        done_at = Time(o.DoneAt), dead = o.Dead != 0,
    };

    public static object Command(CommandRow c) => new
    {
        command_id = c.CommandId, device_id = c.DeviceId, camera_id = c.CameraId, requested_at = Time(c.RequestedAt), sent_at = Time(c.SentAt), attempts = c.Attempts,
        c.Result, c.Detail, replied_at = Time(c.RepliedAt),
    };

    public static object Event(EventRow e, bool withPayload) => new
    {
        event_id = e.EventId, episode_id = e.EpisodeId, incident_id = e.IncidentId, device_id = e.DeviceId, camera_id = e.CameraId,
        e.Scenario, e.Type, e.Sequence, detection_time = Time(e.DetectionTime), received_at = Time(e.ReceivedAt),
        payload = withPayload ? Json(e.Payload) : null,
    };

    public static object Evidence(EventEvidenceRow e) => new
    {
        evidence_id = e.EvidenceId, event_id = e.EventId, e.Sha256, e.Bytes, content_type = e.ContentType, e.Kind,
        url = $"/api/v1/evidence/{e.EvidenceId}",
    };

    /// <summary>
    /// Evidence as the API and the dashboard show it. <c>url</c> serves the blob (Range supported) once <c>stored</c>;
    /// an on-gateway blob not yet fetched has a <c>fetch_url</c> (POST, authorised users) instead.
    /// </summary>
    public static object Evidence(EvidenceMetaRow m) => new
    {
        evidence_id = m.EvidenceId, event_id = m.EventId, device_id = m.DeviceId, camera_id = m.CameraId, m.Sha256, m.Bytes, content_type = m.ContentType, m.Kind,
        m.Width, m.Height, start_time = Time(m.StartTime), end_time = Time(m.EndTime),
        blurred = m.Blurred is null ? (bool?)null : m.Blurred != 0, m.Delivery, stored = m.Stored != 0, command_id = m.CommandId,
        url = $"/api/v1/evidence/{m.EvidenceId}",
        fetch_url = m.Stored == 0 && m.OnDevice ? $"/api/v1/evidence/{m.EvidenceId}/fetch" : null,
    };

    public static object EvidenceAccess(EvidenceAccessRow a) => new
    {
        a.Id, at = Time(a.At), a.Principal, a.Action, evidence_id = a.EvidenceId, device_id = a.DeviceId, camera_id = a.CameraId, allowed = a.Allowed != 0, a.Reason,
    };

    public static object EvidenceRequest(EvidenceRequestRow r) => new
    {
        command_id = r.CommandId, evidence_id = r.EvidenceId, device_id = r.DeviceId, camera_id = r.CameraId, requested_by = r.RequestedBy,
        requested_at = Time(r.RequestedAt), r.State, r.Detail, done_at = Time(r.DoneAt),
    };

    /// <summary>A case's before picture (the incident's first snapshot) and the after-pictures its closure checks brought.</summary>
    public static object Pictures(IReadOnlyList<EvidenceMetaRow> incident, IReadOnlyList<EvidenceMetaRow> after) => new
    {
        before = incident.FirstOrDefault(m => m.Kind == EvidenceKinds.Snapshot) is { } b ? Evidence(b) : null,
        after = after.Select(Evidence).ToList(),
    };

    public static object DeadLetter(DeadLetterRow d) => new
    {
        d.Id, d.Topic, device_id = d.DeviceId, d.Reason, payload_bytes = d.PayloadBytes, received_at = Time(d.ReceivedAt),
        payload_preview = System.Text.Encoding.UTF8.GetString(d.Payload.AsSpan(0, Math.Min(d.Payload.Length, 512))),
    };
}
