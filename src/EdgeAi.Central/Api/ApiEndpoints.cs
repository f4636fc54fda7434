using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeAi.Central.Api;

/// <summary>The REST API under /api/v1 (bearer token required): incidents, cases with timeline, events, evidence, devices, cameras.</summary>
internal static class ApiEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapCentralApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("central");

        api.MapGet("/incidents", async (CentralStore store, string? state, string? scenario, int? limit, CancellationToken ct) =>
            Results.Ok((await store.ListIncidentsAsync(state, scenario, Limit(limit), ct)).Select(ApiFormat.Incident)))
            .WithSummary("Incidents, most recently seen first; filter by state (open, closed) and scenario.");

        api.MapGet("/incidents/{id}", async (CentralStore store, string id, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out _)) return Results.BadRequest(new { error = "incident id must be a UUID" });
            var incident = await store.GetIncidentAsync(id, ct);
            if (incident is null) return Results.NotFound();
            var cameras = await store.GetIncidentCamerasAsync(id, ct);
            var evidence = await store.ListIncidentEvidenceAsync(id, ct);
            var c = await store.GetCaseForIncidentAsync(id, ct);
            var after = c is null ? [] : await store.ListCaseAfterEvidenceAsync(c.CaseId, ct);
            return Results.Ok(new
            {
                incident = ApiFormat.Incident(incident),
                cameras = cameras.Select(ApiFormat.Camera),
                evidence = evidence.Take(100).Select(ApiFormat.Evidence),
                @case = c is null ? null : ApiFormat.Case(c),
                pictures = ApiFormat.Pictures(evidence, after),
            });
        }).WithSummary("One incident with its cameras, evidence (snapshots, crops, clips — on the gateway ones with a fetch_url), case and before/after pictures.");

        api.MapGet("/cases", async (CentralStore store, string? state, int? limit, CancellationToken ct) =>
            Results.Ok((await store.ListCasesAsync(state, Limit(limit), ct)).Select(ApiFormat.Case)))
            .WithSummary("Cases, newest first; filter by state (detected, filed, …, dead).");

        api.MapGet("/cases/{id}", async (CentralStore store, string id, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out _)) return Results.BadRequest(new { error = "case id must be a UUID" });
            var c = await store.GetCaseAsync(id, ct);
            if (c is null) return Results.NotFound();
            return Results.Ok(new
            {
                @case = ApiFormat.Case(c),
                pictures = ApiFormat.Pictures(await store.ListIncidentEvidenceAsync(c.IncidentId, ct), await store.ListCaseAfterEvidenceAsync(id, ct)),
                timeline = (await store.GetTimelineAsync(id, ct)).Select(ApiFormat.Timeline),
                outbox = (await store.GetOutboxAsync(id, ct)).Select(ApiFormat.Outbox),
                commands = (await store.GetCommandsAsync(id, ct)).Select(ApiFormat.Command),
            });
        }).WithSummary("One case with its before/after pictures, status timeline, outbox attempts (last error, dead) and verification commands.");

        api.MapGet("/events", async (CentralStore store, string? incident_id, string? device_id, int? limit, CancellationToken ct) =>
            Results.Ok((await store.ListEventsAsync(incident_id, device_id, Limit(limit), ct)).Select(e => ApiFormat.Event(e, false))))
            .WithSummary("Events, newest first; filter by incident_id or device_id.");

        api.MapGet("/events/{id}", async (CentralStore store, string id, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out _)) return Results.BadRequest(new { error = "event id must be a UUID" });
            var e = await store.GetEventAsync(id, ct);
            return e is null ? Results.NotFound() : Results.Ok(ApiFormat.Event(e, true));
        }).WithSummary("One event with its original payload.");

        api.MapGet("/devices", async (CentralStore store, CancellationToken ct) =>
            Results.Ok((await store.ListDevicesAsync(ct)).Select(d => new
            {
                device_id = d.DeviceId, online = d.Online is null ? (bool?)null : d.Online != 0, status = ApiFormat.Json(d.Status), status_at = ApiFormat.Time(d.StatusAt),
                health = ApiFormat.Json(d.Health), health_at = ApiFormat.Time(d.HealthAt), last_event_at = ApiFormat.Time(d.LastEventAt), last_sequence = d.LastSequence,
            }))).WithSummary("Edge gateways with their latest status and health snapshot.");

        api.MapGet("/cameras", async (CentralStore store, CancellationToken ct) =>
        {
            var devices = (await store.ListDevicesAsync(ct)).ToDictionary(d => d.DeviceId);
            return Results.Ok((await store.ListCamerasAsync(ct)).Select(c => new
            {
                device_id = c.DeviceId, camera_id = c.CameraId, c.Name, c.Lat, c.Lon, last_event_at = ApiFormat.Time(c.LastEventAt),
                health = CameraHealth(devices.GetValueOrDefault(c.DeviceId)?.Health, c.CameraId),
            }));
        }).WithSummary("Cameras seen in events, each with its entry of the device's latest health snapshot.");

        api.MapGet("/dead-letters", async (CentralStore store, int? limit, CancellationToken ct) =>
            Results.Ok((await store.ListDeadLettersAsync(Limit(limit), ct)).Select(ApiFormat.DeadLetter)))
            .WithSummary("Rejected messages with the reason, newest first.");

        api.MapGet("/stats", async (CentralStore store, CentralMetrics metrics, InboundQueue queue, CancellationToken ct) =>
        {
            var counts = await store.CountAsync(ct);
            return Results.Ok(new
            {
                counts.Events, incidents = counts.Incidents, open_incidents = counts.OpenIncidents, cases = counts.Cases, cases_by_state = counts.CasesByState,
                dead_letters = counts.DeadLetters, evidence = counts.Evidence, outbox_pending = counts.OutboxPending, outbox_dead = counts.OutboxDead,
                queue_depth = queue.Count,
                unacknowledged = queue.Unacknowledged,
                process = new
                {
                    messages_received = metrics.Received, events_accepted = metrics.EventsAccepted, duplicates = metrics.Duplicates,
                    dead_letters = metrics.DeadLetters, incidents_opened = metrics.IncidentsOpened, cases_filed = metrics.CasesFiled,
                    outbox_failures = metrics.OutboxFailures, queue_full_waits = metrics.QueueFullWaits,
                },
            });
        }).WithSummary("Counts: stored rows, cases by state, outbox backlog, this process's counters.");

        return app;
    }

    private static int Limit(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);

    /// <summary>The entry for <paramref name="cameraId"/> in a DeviceHealth JSON snapshot's "cameras" array.</summary>
    private static System.Text.Json.JsonElement? CameraHealth(string? healthJson, string cameraId)
    {
        if (ApiFormat.Json(healthJson) is not { } health || !health.TryGetProperty("cameras", out var cameras) || cameras.ValueKind != System.Text.Json.JsonValueKind.Array) return null;
        foreach (var c in cameras.EnumerateArray())
        {
            if (c.ValueKind == System.Text.Json.JsonValueKind.Object && c.TryGetProperty("camera_id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String && id.GetString() == cameraId) return c;
        }
        return null;
    }
}
