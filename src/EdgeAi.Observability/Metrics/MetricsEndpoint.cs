using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeAi.Observability.Metrics;

/// <summary>Maps <c>GET /metrics</c> to a <see cref="PrometheusExporter"/>.</summary>
public static class MetricsEndpoint
{
    /// <param name="beforeScrape">Optional async refresh (e.g. counting cases by state in the database) run before each scrape.</param>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app, PrometheusExporter exporter,
        Func<CancellationToken, Task>? beforeScrape = null) =>
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            if (beforeScrape is not null) await beforeScrape(http.RequestAborted).ConfigureAwait(false);
            var text = exporter.Scrape();
            http.Response.ContentType = PrometheusExporter.ContentType;
            await http.Response.WriteAsync(text, http.RequestAborted).ConfigureAwait(false);
        });
}
