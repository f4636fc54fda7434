using System.Diagnostics;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Hosting;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Tests.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit.Abstractions;

namespace EdgeAi.Worker.Tests.Observability;

/// <summary>The worker's /metrics families for 16 cameras (not started), parsed by prometheus_client; and the scrape cost.</summary>
public sealed class WorkerMetricsTests(ITestOutputHelper output) : IDisposable
{
    private readonly OnnxDetector _detector = new(ModelManifestLoader.Load(TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json")),
        new InferenceOptions { Threads = 1 }, NullLogger.Instance);

    public void Dispose() => _detector.Dispose();

    [Fact]
    public async Task Scrape_SixteenCameras_EveryFamilyParsesWithOneSeriesPerCamera()
    {
        var cameras = Enumerable.Range(1, 16).Select(i => PipelineHarness.Camera($"cam-{i:00}", "rtsp://127.0.0.1:1/x")).ToList();
        var state = new WorkerState(new WorkerConfig { DeviceId = "edge-m", Cameras = cameras });
        var pipeline = new WorkerPipeline(cameras, new Dictionary<string, OnnxDetector> { ["tiny"] = _detector },
            _ => throw new InvalidOperationException("not started"), new IngestOptions(), new InferenceOptions(), NullLoggerFactory.Instance);
        state.PipelineStarted(pipeline);
        var metrics = new WorkerMetrics(state);
        async Task<string> Scrape()
        {
            using var text = new MemoryStream();
            await metrics.Registry.CollectAndExportAsTextAsync(text);
            return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        }
        foreach (var h in pipeline.Health.Values)
        {
            metrics.Attach(h);
            for (var i = 0; i < 100; i++)
            {
                h.FrameIn();
                h.FrameAnalysed();
                h.InferenceLatency.Record(i);
                h.PipelineLatency.Record(2 * i);
                h.AnalyticsLatency.Record(0.5 * i);
            }
        }

        var text = await Scrape();
        var parsed = PrometheusParser.Parse(text);

        Assert.Equal(16, parsed.Samples.Count(s => s.Name == "edgeai_camera_frames_in_total"));
        Assert.Equal(100, parsed.Value("edgeai_camera_frames_analysed_total", ("camera", "cam-07")));
        Assert.Equal(100, parsed.Value("edgeai_inference_latency_ms_count", ("camera", "cam-16")));
        Assert.Equal(11, parsed.Value("edgeai_inference_latency_ms_bucket", ("camera", "cam-16"), ("le", "10")));   // 0..10 ms
        Assert.Equal(Enumerable.Range(0, 100).Sum(), parsed.Value("edgeai_inference_latency_ms_sum", ("camera", "cam-16")));
        Assert.Equal(1, parsed.Value("edgeai_camera_state", ("camera", "cam-01"), ("state", "connecting")));
        Assert.Equal(16, parsed.Value("edgeai_cameras"));
        Assert.Equal("counter", parsed.Types["edgeai_camera_frames_in"]);
        Assert.Equal("gauge", parsed.Types["edgeai_camera_streaming"]);
        Assert.Equal("histogram", parsed.Types["edgeai_pipeline_latency_ms"]);
        Assert.Equal("counter", parsed.Types["edgeai_outbox_shed_events"]);

        // Scrape cost (reported, not asserted: the machine is shared): the best of 20 batches of 25 scrapes.
        for (var i = 0; i < 50; i++) await Scrape();
        var best = double.MaxValue;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;   // less sensitive than wall time to other load
        for (var batch = 0; batch < 20; batch++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 25; i++) await Scrape();
            best = Math.Min(best, sw.Elapsed.TotalMicroseconds / 25);
        }
        var cpuPerScrape = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / 500;
        output.WriteLine($"scrape of 16 cameras: best {best:F0} µs wall, {cpuPerScrape:F0} µs CPU, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / 500 / 1024} KiB allocated, {text.Length} chars");
    }
}
