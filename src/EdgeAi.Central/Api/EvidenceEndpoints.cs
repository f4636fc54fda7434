using System.Text.Json;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Evidence;
using EdgeAi.Central.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeAi.Central.Api;

/// <summary>
/// Evidence behind Central's auth (bearer token or dashboard session): blobs with HTTP Range (a clip can be sought),
/// authorised fetches of on-gateway evidence, the access audit, who the caller is, and the operator's decision on a
/// closure the camera could not check. Unblurred evidence is shown only to principals <see cref="AccessPolicy"/> allows;
/// each request and view is audited.
/// </summary>
internal static class EvidenceEndpoints
{
    public static IEndpointRouteBuilder MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("evidence");

        api.MapGet("/evidence/{id}", async (HttpContext http, CentralStore store, EvidenceService evidence, string id, CancellationToken ct) =>
        {
            if (!MessageProcessor.IsSafeId(id)) return Results.BadRequest(new { error = "evidence id must be 1-64 of [A-Za-z0-9._-]" });
            var meta = await store.GetEvidenceMetaAsync(id, ct);
            if (meta is { IsUnblurred: true })
            {
                // one audit row per view: a player's follow-up range requests (not from byte 0) are checked, not logged again
                var range = http.Request.Headers.Range.ToString();
                var principal = Principal(http);
                var (allowed, reason) = range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.Ordinal)
                    ? await evidence.AuthorizeAsync(principal, EvidenceAccess.View, meta, ct)
                    : (evidence.Policy.CanSeeUnblurred(principal, meta.DeviceId, meta.CameraId));
                if (!allowed) return Results.Json(new { error = $"unblurred evidence: {reason}" }, statusCode: StatusCodes.Status403Forbidden);
                http.Response.Headers.CacheControl = "private, no-store";
            }
            var e = await store.GetEvidenceAsync(id, ct);
            if (e is null)
            {
                return meta is { OnDevice: true }
                    ? Results.NotFound(new { error = $"evidence '{id}' is on gateway {meta.DeviceId}; request it with POST /api/v1/evidence/{id}/fetch" })
                    : Results.NotFound(new { error = $"evidence '{id}' is not stored (not received yet, or past retention)" });
            }
            return Results.File(e.Data, e.ContentType, enableRangeProcessing: true);
        }).WithSummary("An evidence blob: picture (JPEG/PNG) or clip (MP4), with HTTP Range. Unblurred evidence needs the evidence_unblurred permission (403 with the reason) and is audited.");

        api.MapPost("/evidence/{id}/fetch", async (HttpContext http, EvidenceService evidence, string id, CancellationToken ct) =>
        {
            if (!MessageProcessor.IsSafeId(id)) return Results.BadRequest(new { error = "evidence id must be 1-64 of [A-Za-z0-9._-]" });
            var o = await evidence.FetchAsync(id, Principal(http), ct);
            return o.Status switch
            {
                EvidenceService.FetchStatus.Stored or EvidenceService.FetchStatus.Fetched => Results.Ok(new
                {
                    evidence_id = id, url = $"/api/v1/evidence/{id}", content_type = o.Meta!.ContentType, o.Meta.Bytes,
                    fetched = o.Status == EvidenceService.FetchStatus.Fetched, elapsed_ms = Math.Round(o.Elapsed.TotalMilliseconds),
                }),
                EvidenceService.FetchStatus.NotFound => Results.NotFound(new { error = o.Detail }),
                EvidenceService.FetchStatus.NotOnDevice => Results.Conflict(new { error = o.Detail }),
                EvidenceService.FetchStatus.Forbidden => Results.Json(new { error = $"unblurred evidence: {o.Detail}" }, statusCode: StatusCodes.Status403Forbidden),
                EvidenceService.FetchStatus.Offline or EvidenceService.FetchStatus.NotConnected => Results.Json(new { error = o.Detail }, statusCode: StatusCodes.Status503ServiceUnavailable),
                EvidenceService.FetchStatus.DeviceError => Results.Json(new { error = o.Detail }, statusCode: StatusCodes.Status502BadGateway),
                _ => Results.Json(new { error = o.Detail }, statusCode: StatusCodes.Status504GatewayTimeout),
            };
        }).WithSummary("Fetches on-gateway evidence (e.g. an unblurred clip) for an authorised caller: sends fetch_evidence, waits for the blob (access.fetch_timeout_s). 403 unauthorised, 503 gateway offline, 502 gateway error, 504 no answer.");

        api.MapGet("/evidence/{id}/requests", async (CentralStore store, string id, CancellationToken ct) =>
            !MessageProcessor.IsSafeId(id) ? Results.BadRequest(new { error = "evidence id must be 1-64 of [A-Za-z0-9._-]" })
            : Results.Ok((await store.ListEvidenceRequestsAsync(id, ct)).Select(ApiFormat.EvidenceRequest)))
            .WithSummary("Fetch requests sent for one piece of evidence and how each ended.");

        api.MapGet("/evidence-access", async (CentralStore store, string? evidence_id, string? principal, int? limit, CancellationToken ct) =>
            Results.Ok((await store.ListEvidenceAccessAsync(evidence_id, principal, Math.Clamp(limit ?? 100, 1, 1000), ct)).Select(ApiFormat.EvidenceAccess)))
            .WithSummary("The audit of unblurred evidence: every request and view, allowed or denied, newest first; filter by evidence_id or principal.");

        api.MapGet("/me", (HttpContext http, AccessPolicy policy) =>
        {
            var principal = Principal(http);
            var (unblurred, cameras) = policy.UnblurredScope(principal);
            return Results.Ok(new { principal, evidence_unblurred = unblurred, unblurred_cameras = unblurred && cameras.Count > 0 ? cameras : null });
        }).WithSummary("Who the caller is and whether they may see unblurred evidence (on some cameras at least).");

        api.MapPost("/cases/{id}/closure", async (HttpContext http, CaseWorkflow workflow, string id, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out _)) return Results.BadRequest(new { error = "case id must be a UUID" });
            ClosureRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<ClosureRequest>(http.Request.Body, Platforms.PlatformJson.Options, ct);
            }
            catch (JsonException ex)
            {
                return Results.BadRequest(new { error = $"body is not a closure decision: {ex.Message}" });
            }
            if (!StoredText<CaseState>.TryParse(body?.Decision, out var decision) || !CaseStates.ClosureDecisions.Contains(decision))
                return Results.BadRequest(new { error = "decision must be 'verified' or 'reopened'" });
            if (body!.Note is { Length: > 2000 }) return Results.BadRequest(new { error = "note is over 2000 characters" });
            return await workflow.DecideClosureAsync(id, decision, Principal(http), body!.Note, ct) switch
            {
                StatusOutcome.Applied => Results.Ok(new { state = decision }),
                StatusOutcome.NotFound => Results.NotFound(new { error = "no such case" }),
                _ => Results.Conflict(new { error = "the case is not awaiting an operator's closure decision (state unverifiable)" }),
            };
        }).WithSummary("An operator's decision on a closure the camera could not check (state unverifiable): verified or reopened, sent to the platform with before and after pictures.");

        return app;
    }

    private static string Principal(HttpContext http) => http.User.Identity?.Name ?? AccessPolicy.ApiPrincipal;

    /// <summary>Body of a closure decision.</summary>
    internal sealed record ClosureRequest(string? Decision, string? Note);
}
