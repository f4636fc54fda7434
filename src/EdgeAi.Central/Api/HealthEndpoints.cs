using EdgeAi.Central.Broker;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Hosting;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeAi.Central.Api;

/// <summary>
/// <c>/healthz</c>: the process is alive. <c>/readyz</c>: the database answers, migrations ran and the broker
/// connection is up with its subscriptions (503 with the failing checks otherwise). <c>/media/{id}</c>: evidence by signed link.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous().WithTags("health");

        app.MapGet("/readyz", async (CentralStore store, DatabaseMigrationService migrations, CentralMqtt mqtt, MqttConsumer consumer, CancellationToken ct) =>
        {
            var problems = new List<string>();
            if (!migrations.Done) problems.Add("database migrations not applied yet");
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cts.CancelAfter(TimeSpan.FromSeconds(5));
                if (!await store.PingAsync(cts.Token)) problems.Add("database does not answer");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                problems.Add($"database: {ex.Message}");
            }
            if (mqtt.Disconnected is { } down) problems.Add($"MQTT not connected ({down.ClientId}): {down.LastError ?? down.State.ToString()}");
            else if (!consumer.Subscribed) problems.Add("MQTT subscriptions not granted yet");
            return problems.Count == 0
                ? Results.Ok(new { status = "ready" })
                : Results.Json(new { status = "not ready", problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().WithTags("health");

        app.MapGet("/media/{id}", async (CentralStore store, MediaLinks links, TimeProvider time, string id, string? exp, string? sig, CancellationToken ct) =>
        {
            if (!MessageProcessor.IsSafeId(id)) return Results.BadRequest();
            if (!links.Verify(id, exp, sig, time.GetUtcNow())) return Results.StatusCode(StatusCodes.Status403Forbidden);
            // never an unblurred or on-gateway blob by link, whatever was signed: those stay behind the API's access control
            if (await store.GetEvidenceMetaAsync(id, ct) is { } meta && !Cases.FilingBuilder.ForPlatform(meta)) return Results.StatusCode(StatusCodes.Status403Forbidden);
            var e = await store.GetEvidenceAsync(id, ct);
            return e is null ? Results.NotFound() : Results.File(e.Data, e.ContentType, enableRangeProcessing: true);
        }).AllowAnonymous().WithTags("platform").WithSummary("Evidence (picture or blurred attached clip, HTTP Range) by signed link, as given to the platform.");

        return app;
    }
}
