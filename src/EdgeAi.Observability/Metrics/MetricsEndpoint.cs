using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace EdgeAi.Observability.Metrics;

/// <summary>
/// Maps <c>GET /metrics</c> to a prometheus-net <see cref="CollectorRegistry"/>, in the Prometheus text format 0.0.4.
/// Each service instance owns its registry (not prometheus-net's static default), so tests can host several in one
/// process; values read at scrape time are set by the registry's before-collect callbacks.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>Content type of the text exposition format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app, CollectorRegistry registry) =>
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            http.Response.ContentType = ContentType;
            await registry.CollectAndExportAsTextAsync(http.Response.Body, ExpositionFormat.PrometheusText, http.RequestAborted).ConfigureAwait(false);
        });
}
