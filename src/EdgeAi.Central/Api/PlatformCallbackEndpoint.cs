using System.Text.Json;
using EdgeAi.Central.Storage;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Api;

/// <summary>
/// <c>POST /api/v1/platform/callback</c>: the platform reports a case's state. Authenticated by HMAC-SHA256 over
/// the body with the callback secret (<see cref="HmacSignature"/>), not by the API token. Body:
/// <c>{"case_ref": "…" (case id, incident id or platform case id), "status": "accepted|dispatched|resolved|closed|rejected|false_positive", "note": "…",
/// "evaluation": "satisfied|basically_satisfied|dissatisfied" (optional: the platform's 评价 of the case)}</c>.
/// </summary>
internal static partial class PlatformCallbackEndpoint
{
    public static IEndpointRouteBuilder MapPlatformCallback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/platform/callback", HandleAsync).AllowAnonymous().WithTags("platform")
            .WithSummary("Status callback from the governance platform (HMAC-signed).");
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, CaseWorkflow workflow, CentralOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("EdgeAi.Central.Api.PlatformCallback");
        if (options.Platform.CallbackSecret is not { } secret) return Results.NotFound();
        // Unauthenticated until the signature is checked: refuse an oversized body before reading it (Content-Length),
        // or as soon as Kestrel's api.max_request_bytes limit trips (chunked), with 413 and a warning, not an error.
        if (request.ContentLength > options.Api.MaxRequestBytes) return TooLarge(logger, request.ContentLength.Value, options.Api.MaxRequestBytes);
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(logger, null, options.Api.MaxRequestBytes);
        }
        if (!HmacSignature.Verify(secret, request.Headers[HmacSignature.TimestampHeader], request.Headers[HmacSignature.SignatureHeader], body,
                time.GetUtcNow(), options.Platform.CallbackMaxSkew, out var reason))
        {
            LogRefused(logger, reason!);
            return Results.Json(new { error = reason }, statusCode: StatusCodes.Status401Unauthorized);
        }
        string? reference, status, note, evaluation;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            reference = Str(root, "case_ref") ?? Str(root, "platform_case_id") ?? Str(root, "case_id");
            status = Str(root, "status");
            note = Str(root, "note");
            evaluation = Str(root, "evaluation");
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "body is not JSON" });
        }
        if (reference is null || status is null) return Results.BadRequest(new { error = "case_ref and status are required" });
        if (evaluation is not null && (evaluation.Length > 64 || evaluation.Any(char.IsControl))) return Results.BadRequest(new { error = "evaluation must be a short word" });
        var outcome = StoredText<CaseState>.TryParse(status, out var state)
            ? await workflow.ApplyPlatformStatusAsync(reference, state, note, "platform", ct, evaluation)
            : StatusOutcome.Invalid;
        return outcome switch
        {
            StatusOutcome.NotFound => Results.NotFound(new { error = "no such case" }),
            StatusOutcome.Invalid => Results.BadRequest(new { error = $"status must be one of {StoredText.Join(CaseStates.FromPlatform)}" }),
            _ => Results.Ok(new { outcome = outcome.ToString().ToLowerInvariant() }),
        };
    }

    private static IResult TooLarge(ILogger logger, long? length, long max)
    {
        LogRefused(logger, $"body of {(length is { } n ? n + " bytes" : "unknown length")} over the {max}-byte limit");
        return Results.Json(new { error = $"request body over {max} bytes" }, statusCode: StatusCodes.Status413PayloadTooLarge);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Platform callback refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
