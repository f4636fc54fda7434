using EdgeAi.Models.Events;
using EdgeAi.Observability.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// The worker's local HTTP endpoints (Kestrel, on the worker's host, <see cref="WorkerApp"/>), for the engineer on site and for monitoring:
/// <c>/healthz</c> (alive), <c>/readyz</c> (models loaded, outbox open, a camera streaming or none configured; 503
/// with the reasons otherwise), <c>/metrics</c> (Prometheus), <c>/api/health</c> (per-camera JSON, the same snapshot
/// as the MQTT health topic) and <c>/</c> (a status page). No authentication: it listens on loopback by default
/// (<c>http.listen</c>) and serves nothing secret — camera URLs are not included.
/// </summary>
internal static class WorkerHttpServer
{
    public static void Map(WebApplication app, WorkerState state, WorkerMetrics metrics)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/readyz", () =>
        {
            var problems = state.NotReadyReasons();
            return problems.Count == 0
                ? Results.Ok(new { status = "ready" })
                : Results.Json(new { status = "not ready", problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/api/health", () => Results.Json(state.Health(), EdgeAiJsonContext.Default.DeviceHealth));
        app.MapPrometheusMetrics(metrics.Registry);
        app.MapGet("/", () => Results.Content(StatusPage.Html, "text/html; charset=utf-8"));
    }
}
