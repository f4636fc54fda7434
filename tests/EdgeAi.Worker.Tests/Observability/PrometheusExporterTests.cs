using System.Diagnostics.Metrics;
using EdgeAi.Observability.Metrics;
using EdgeAi.Testing;

namespace EdgeAi.Worker.Tests.Observability;

/// <summary>The shared /metrics exporter, checked by the reference parser (python prometheus_client).</summary>
public sealed class PrometheusExporterTests
{
    private static string MeterName() => $"EdgeAi.Test.{Guid.NewGuid():N}";

    [Fact]
    public void Scrape_CountersGaugesHistograms_ParseWithTheExpectedValues()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var exporter = new PrometheusExporter(name);
        var counter = meter.CreateCounter<long>("test_requests_total", description: "Requests\nby route");
        var histogram = meter.CreateHistogram("test_latency_ms", "ms", "Latency",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 100] });
        var depth = 7;
        meter.CreateObservableGauge("test_depth", () => depth, description: "Queue depth");
        meter.CreateObservableCounter("test.observed-total", () => new Measurement<long>(42, new KeyValuePair<string, object?>("kind", "a")));

        counter.Add(2, new KeyValuePair<string, object?>("route", "/a"));
        counter.Add(3, new KeyValuePair<string, object?>("route", "/a"));
        counter.Add(1, new KeyValuePair<string, object?>("route", "/b"));
        foreach (var v in new[] { 5.0, 10.0, 50.0, 500.0 }) histogram.Record(v);

        var parsed = PrometheusParser.Parse(exporter.Scrape());

        Assert.Equal(5, parsed.Value("test_requests_total", ("route", "/a")));
        Assert.Equal(1, parsed.Value("test_requests_total", ("route", "/b")));
        Assert.Equal("counter", parsed.Types["test_requests"]);
        Assert.Equal(7, parsed.Value("test_depth"));
        Assert.Equal("gauge", parsed.Types["test_depth"]);
        Assert.Equal(42, parsed.Value("test_observed_total", ("kind", "a")));   // dots and dashes made valid
        Assert.Equal("histogram", parsed.Types["test_latency_ms"]);
        Assert.Equal(2, parsed.Value("test_latency_ms_bucket", ("le", "10")));      // 5 and 10: le is inclusive
        Assert.Equal(3, parsed.Value("test_latency_ms_bucket", ("le", "100")));
        Assert.Equal(4, parsed.Value("test_latency_ms_bucket", ("le", "+Inf")));
        Assert.Equal(4, parsed.Value("test_latency_ms_count"));
        Assert.Equal(565, parsed.Value("test_latency_ms_sum"));

        depth = 9;
        Assert.Equal(9, PrometheusParser.Parse(exporter.Scrape()).Value("test_depth"));   // observed at scrape time
    }

    [Fact]
    public void Scrape_LabelValuesWithQuotesBackslashesAndNewlines_RoundTrip()
    {
        var name = MeterName();
        using var meter = new Meter(name);
        using var exporter = new PrometheusExporter(name);
        const string nasty = "south \"gate\"\\cam\nline 2 — 南门";
        meter.CreateCounter<long>("test_frames_total").Add(1, new KeyValuePair<string, object?>("camera", nasty));

        var text = exporter.Scrape();

        Assert.Contains("camera=\"south \\\"gate\\\"\\\\cam\\nline 2 — 南门\"", text);
        Assert.Equal(1, PrometheusParser.Parse(text).Value("test_frames_total", ("camera", nasty)));
    }

    [Fact]
    public void Scrape_OnlyTheNamedMeters_AndObservableSeriesFollowTheSource()
    {
        var name = MeterName();
        using var other = new Meter(MeterName());
        using var meter = new Meter(name);
        using var exporter = new PrometheusExporter(name);
        other.CreateCounter<long>("test_other_total").Add(1);
        var cameras = new List<string> { "a", "b" };
        meter.CreateObservableGauge("test_camera_up", () => cameras.Select(c => new Measurement<int>(1, new KeyValuePair<string, object?>("camera", c))));

        Assert.Equal(2, PrometheusParser.Parse(exporter.Scrape()).Samples.Count(s => s.Name == "test_camera_up"));
        cameras.Remove("a");   // e.g. a camera removed by a reload
        var parsed = PrometheusParser.Parse(exporter.Scrape());

        Assert.Equal("b", Assert.Single(parsed.Samples, s => s.Name == "test_camera_up").Labels["camera"]);
        Assert.DoesNotContain(parsed.Samples, s => s.Name.StartsWith("test_other", StringComparison.Ordinal));
    }
}
