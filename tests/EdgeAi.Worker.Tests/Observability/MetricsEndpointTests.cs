using System.Net;
using EdgeAi.Observability.Metrics;
using EdgeAi.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace EdgeAi.Worker.Tests.Observability;

/// <summary>The shared /metrics endpoint over a per-instance prometheus-net registry, read over HTTP and checked by the reference parser (python prometheus_client).</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Get();
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly CollectorRegistry _other = Metrics.NewCustomRegistry();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPrometheusMetrics(_registry);
        await _app.StartAsync();
    }

    private async Task<(HttpResponseMessage Response, string Body)> ScrapeAsync()
    {
        var r = await _http.GetAsync($"http://127.0.0.1:{_port}/metrics");
        return (r, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scrape_CountersGaugesHistogramsAndNastyLabels_ParseWithTheExpectedValues()
    {
        var f = Metrics.WithCustomRegistry(_registry);
        // prometheus-net 8.2.1 writes HELP text unescaped (a line feed there breaks the format): our help texts are one-line constants.
        var counter = f.CreateCounter("test_requests_total", "Requests by route", "route");
        var histogram = f.CreateHistogram("test_latency_ms", "Latency", new HistogramConfiguration { Buckets = [10, 100] });
        var depth = f.CreateGauge("test_depth", "Queue depth");
        var frames = f.CreateCounter("test_frames_total", "Frames", "camera");
        Metrics.WithCustomRegistry(_other).CreateCounter("test_other_total", "Another instance's").Inc();
        var observed = 7;
        _registry.AddBeforeCollectCallback(() => depth.Set(observed));
        counter.WithLabels("/a").Inc(2);
        counter.WithLabels("/a").Inc(3);
        counter.WithLabels("/b").Inc();
        foreach (var v in new[] { 5.0, 10.0, 50.0, 500.0 }) histogram.Observe(v);
        const string nasty = "south \"gate\"\\cam\nline 2 — 南门";
        frames.WithLabels(nasty).Inc();

        var (response, text) = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MetricsEndpoint.ContentType, response.Content.Headers.ContentType?.ToString());
        var parsed = PrometheusParser.Parse(text);
        Assert.Equal(5, parsed.Value("test_requests_total", ("route", "/a")));
        Assert.Equal(1, parsed.Value("test_requests_total", ("route", "/b")));
        Assert.Equal("counter", parsed.Types["test_requests"]);
        Assert.Equal(7, parsed.Value("test_depth"));
        Assert.Equal("gauge", parsed.Types["test_depth"]);
        Assert.Equal("histogram", parsed.Types["test_latency_ms"]);
        Assert.Equal(2, parsed.Value("test_latency_ms_bucket", ("le", "10")));      // 5 and 10: le is inclusive
        Assert.Equal(3, parsed.Value("test_latency_ms_bucket", ("le", "100")));
        Assert.Equal(4, parsed.Value("test_latency_ms_bucket", ("le", "+Inf")));
        Assert.Equal(4, parsed.Value("test_latency_ms_count"));
        Assert.Equal(565, parsed.Value("test_latency_ms_sum"));
        Assert.Equal(1, parsed.Value("test_frames_total", ("camera", nasty)));
        Assert.DoesNotContain(parsed.Samples, s => s.Name.StartsWith("test_other", StringComparison.Ordinal));   // per-instance registries
        Assert.DoesNotContain(parsed.Samples, s => s.Name.StartsWith("process_", StringComparison.Ordinal) || s.Name.StartsWith("dotnet_", StringComparison.Ordinal));

        observed = 9;
        Assert.Equal(9, PrometheusParser.Parse((await ScrapeAsync()).Body).Value("test_depth"));   // read at scrape time
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }
}
