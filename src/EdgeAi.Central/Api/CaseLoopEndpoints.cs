using System.Text.Json;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeAi.Central.Api;

/// <summary>
/// The case loop's API (bearer token or dashboard session): review actions on held cases, review counts per camera,
/// rule and model, and the grid layer as GeoJSON for the map.
/// </summary>
internal static class CaseLoopEndpoints
{
    public static IEndpointRouteBuilder MapCaseLoopApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("case loop");

        api.MapPost("/cases/{id}/review", async (HttpContext http, CaseReview review, string id, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out _)) return Results.BadRequest(new { error = "case id must be a UUID" });
            ReviewRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<ReviewRequest>(http.Request.Body, Platforms.PlatformJson.Options, ct);
            }
            catch (JsonException ex)
            {
                return Results.BadRequest(new { error = $"body is not a review request: {ex.Message}" });
            }
            if (body is null) return Results.BadRequest(new { error = "body is required" });
            var by = http.User.Identity?.Name ?? "api";
            if (body.By is { Length: > 0 and <= 64 } named && !named.Any(char.IsControl)) by = $"{by}:{named}";
            if (body.Note is { Length: > 2000 }) return Results.BadRequest(new { error = "note is over 2000 characters" });
            ReviewResult result;
            switch (body.Action)
            {
                case "confirm":
                    PlatformCategory? category = null;
                    if (body.Category is { } c)
                    {
                        if (string.IsNullOrWhiteSpace(c.Class) || string.IsNullOrWhiteSpace(c.Subclass) || string.IsNullOrWhiteSpace(c.Code))
                            return Results.BadRequest(new { error = "category needs class, subclass and code" });
                        category = new PlatformCategory(c.Class, c.Subclass, c.Code);
                    }
                    result = await review.ConfirmAsync(id, by, body.Note, category, ct);
                    break;
                case "dismiss":
                    if (body.Reason is null) return Results.BadRequest(new { error = $"reason is required: one of {string.Join(", ", ReviewPolicies.DismissReasons)}" });
                    result = await review.DismissAsync(id, by, body.Reason, body.Note, ct);
                    break;
                default:
                    return Results.BadRequest(new { error = "action must be 'confirm' or 'dismiss'" });
            }
            return result switch
            {
                ReviewResult.Applied => Results.Ok(new { outcome = body.Action == "confirm" ? ReviewOutcome.Confirmed : ReviewOutcome.Dismissed }),
                ReviewResult.NotFound => Results.NotFound(new { error = "no such case" }),
                ReviewResult.Invalid => Results.BadRequest(new { error = $"reason must be one of {string.Join(", ", ReviewPolicies.DismissReasons)}" }),
                _ => Results.Conflict(new { error = "the case is not awaiting review" }),
            };
        }).WithSummary("Confirms (optionally with an edited category and a note) or dismisses (with a reason) a case held for review.");

        api.MapGet("/review/counts", async (CentralStore store, CancellationToken ct) =>
            Results.Ok((await store.CountReviewsAsync(ct)).Select(r => new
            {
                device_id = r.DeviceId, camera_id = r.CameraId, r.Scenario, r.Rule, r.Model, r.Outcome, r.Reason, r.Count,
            }))).WithSummary("Reviewed cases by camera, rule, model, outcome and dismissal reason.");

        api.MapGet("/grids", (CentralOptions options) => Results.Text(options.Grids.Map.GeoJson, "application/geo+json"))
            .WithSummary("The grid layer (GeoJSON FeatureCollection with code, name, street, community).");

        return app;
    }

    /// <summary>Body of a review action.</summary>
    internal sealed record ReviewRequest(string? Action, string? Reason, string? Note, CategoryEdit? Category, string? By);

    internal sealed record CategoryEdit(string? Class, string? Subclass, string? Code);
}
