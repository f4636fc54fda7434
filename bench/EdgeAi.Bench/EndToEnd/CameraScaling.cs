using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Publishing;
using EdgeAi.Worker.Scenarios;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>One step of the camera-scaling run (N cameras), as written to latest.json.</summary>
internal sealed record CameraStep(
    int Cameras, double Seconds, double AnalysedFps, double MinCameraFps, long Dropped, long Events,
    double LatencyP50Ms, double LatencyP99Ms, double WorkerCpuPercent, double MachineCpuPercent, double RtspServerCpuPercent,
    double BrokerCpuPercent, double RssTotalMb, double RssPerCameraMb, long OutboxDepthStart, long OutboxDepthEnd, bool Sustained, string Verdict,
    double? AnalysisP99Ms = null, double? DeliveryP99Ms = null);

/// <summary>
/// Camera scaling through the real worker pipeline: N real RTSP test cameras (tools/rtsp/rtsp_server.py, the same 1080p25
/// H.264 clip, one GStreamer pipeline per client) → one ffmpeg per camera in key-frame mode → frame channels → ONNX Runtime
/// (bundled demo model; decode.max_fps 0.5: one analysed frame per 2 s per camera, the target's rate) → tracker → crowding rule → durable outbox → MQTT QoS 1 to a real mosquitto, up to PUBACK.
/// <para>The crowding rule is set to fire on one person and to emit an update on every analysed frame (minimum update
/// interval), so that each analysed frame with a person yields an event and frame-to-PUBACK latency is measured for
/// almost every frame: more events than production would send, i.e. a harder load on delivery, not an easier one.
/// Latency = PUBACK taken in by the publisher − the frame's arrival time (wall clock when the worker read it).</para>
/// <para>N doubles from 1 while the step is sustained, and at least up to <c>--min-try</c> (64) even past a failure;
/// it stops at the first failure at or beyond that. "Sustained": every camera analysed at ≥ 0.45 fps (one frame per 2 s, less one frame of window-edge slack in a 20 s window), p99 ≤ 1 s and
/// the outbox not growing over the window.</para>
/// </summary>
internal static class CameraScaling
{
    private const string Device = "edge-bench";

    /// <param name="BudgetMinutes">No new step starts after this long, so `make bench` stays under 30 minutes on a slow machine.</param>
    public sealed record Options(int MaxCameras = 256, int MinTry = 64, double WarmupSeconds = 12, double MeasureSeconds = 20, int Gop = 25, int ClipSeconds = 20,
        double BudgetMinutes = 14, int OrtThreads = 2);

    public static Options Parse(string[] args, bool quick) => new(
        MaxCameras: BenchArgs.Int(args, "--max-cameras", quick ? 4 : 256),
        MinTry: BenchArgs.Int(args, "--min-try", quick ? 4 : 64),
        WarmupSeconds: BenchArgs.Double(args, "--warmup", quick ? 6 : 12),
        MeasureSeconds: BenchArgs.Double(args, "--measure", quick ? 8 : 20),
        BudgetMinutes: BenchArgs.Double(args, "--camera-budget-min", quick ? 5 : 14),
        OrtThreads: BenchArgs.Int(args, "--ort-threads", new InferenceOptions().Threads));

    public static async Task<IReadOnlyList<CameraStep>> RunAsync(Options o, ILoggerFactory loggers)
    {
        var clip = BenchClip.Crowd1080p25(o.Gop, o.ClipSeconds);
        Progress.Say($"cameras: clip {Path.GetFileName(clip)}; starting mosquitto and the RTSP test-camera server");
        await using var broker = await MosquittoBroker.StartNewAsync(Device);
        await using var rtsp = await RtspCameraServer.StartNewAsync("crowd", clip);
        var dir = TestPaths.NewTempDir("bench-cam");
        var manifest = ModelManifestLoader.Load(BenchPaths.DemoManifest);
        using var detector = new OnnxDetector(manifest, new InferenceOptions { Threads = o.OrtThreads, BatchSize = 8 }, loggers.CreateLogger<OnnxDetector>());
        await using var outbox = EventOutbox.Open(new OutboxOptions { Path = Path.Combine(dir, "outbox.db") }, loggers.CreateLogger<EventOutbox>());
        // Central's place on the broker: a subscriber that takes every event and evidence message. Without one the broker
        // answers PUBACK 0x10 (no matching subscribers) and the publisher rightly keeps the events in the outbox.
        await using var subscriber = new EdgeAi.Messaging.MqttClient(broker.ClientOptions("central", "bench-subscriber"));
        subscriber.Start();
        await subscriber.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await subscriber.SubscribeAsync($"edgeai/v1/{Device}/#").WaitAsync(TimeSpan.FromSeconds(30));
        var mqtt = broker.ClientOptions(Device, $"edgeai-{Device}");
        await using var delivery = new DeliveryService(new DeliveryOptions { DeviceId = Device, Mqtt = mqtt }, outbox, loggers);
        var latency = new LatencyProbe();
        delivery.Publisher.EventDelivered = latency.OnDelivered;
        await delivery.StartAsync(CancellationToken.None);
        var store = new EvidenceStore(new EvidenceStoreOptions { Directory = Path.Combine(dir, "evidence") });
        var sink = new LatencySink(new OutboxSink(outbox), latency);
        var model = new ModelInfo(manifest.Name, manifest.Version, manifest.Sha256);

        var steps = new List<CameraStep>();
        var budget = Stopwatch.StartNew();
        try
        {
            for (var n = 1; n <= o.MaxCameras; n *= 2)
            {
                if (budget.Elapsed.TotalMinutes > o.BudgetMinutes)
                {
                    Progress.Say($"cameras: time budget of {o.BudgetMinutes:0} min spent; not trying N={n}");
                    break;
                }
                var step = await RunStepAsync(n, rtsp.Url("crowd"), detector, store, sink, model, outbox, latency, o, loggers);
                steps.Add(step);
                Progress.Say($"cameras: N={n,3}: {step.AnalysedFps:0.0} analysed fps (slowest camera {step.MinCameraFps:0.00}), dropped {step.Dropped}, " +
                    $"p50/p99 {step.LatencyP50Ms:0}/{step.LatencyP99Ms:0} ms (p99 frame→event {step.AnalysisP99Ms:0}, event→PUBACK {step.DeliveryP99Ms:0}), worker CPU {step.WorkerCpuPercent:0}% (machine {step.MachineCpuPercent:0}%, " +
                    $"rtsp server {step.RtspServerCpuPercent:0}%), RSS {step.RssTotalMb:0} MB ({step.RssPerCameraMb:0.0}/camera): {step.Verdict}");
                if (!step.Sustained && n >= o.MinTry) break;
            }
        }
        finally
        {
            await delivery.StopAsync(CancellationToken.None);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        return steps;
    }

    private static async Task<CameraStep> RunStepAsync(int n, string url, OnnxDetector detector, EvidenceStore store, IEventSink sink,
        ModelInfo model, EventOutbox outbox, LatencyProbe latency, Options o, ILoggerFactory loggers)
    {
        var scenarios = new ScenarioConfig
        {
            Zones = [new ZoneConfig { Id = "plaza", Type = ZoneTypes.Plaza, Polygon = [[0, 0], [1, 0], [1, 1], [0, 1]] }],
            Crowding = new CrowdingRuleConfig { MinPersons = 1, MinDuration = TimeSpan.Zero, UpdateInterval = TimeSpan.FromMilliseconds(1), PrivacyBlur = false },
        };
        var errors = ScenarioConfigValidator.Validate(scenarios);
        if (errors.Count > 0) throw new InvalidOperationException("bench scenario config: " + string.Join("; ", errors));
        var cameras = Enumerable.Range(0, n).Select(i => new CameraConfig
        {
            Id = $"cam-{i:000}",
            Name = $"bench camera {i}",
            Url = url,
            Location = new CameraLocation(31.2304 + i * 0.001, 121.4737),
            // The target's rate: one analysed frame per 2 s per camera (key frames every second, every other one analysed).
            Decode = new DecodeOptions(DecodeMode.Keyframes) { MaxFps = 0.5 },
            Scenarios = scenarios,
        }).ToList();
        var pipeline = new WorkerPipeline(cameras, new Dictionary<string, OnnxDetector> { ["demo"] = detector },
            c => new ScenarioAnalytics(Device, c, c.Scenarios, model, store, null, sink),
            new IngestOptions(), new InferenceOptions { BatchWait = TimeSpan.FromMilliseconds(20) }, loggers);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => pipeline.RunAsync(stop.Token));
        try
        {
            Progress.Say($"cameras: N={n,3}: warming up {o.WarmupSeconds:0} s");
            await Task.Delay(TimeSpan.FromSeconds(o.WarmupSeconds));
            var health = pipeline.Health.Values.ToList();
            var a0 = health.Select(h => h.FramesAnalysed).ToArray();
            var d0 = health.Sum(h => h.Dropped);
            var cpu0 = Cpu();
            var m0 = ProcessStats.Machine();
            var depth0 = outbox.Depth.Events;
            latency.Reset();
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(o.MeasureSeconds / 2));
            var depthMid = outbox.Depth.Events;
            await Task.Delay(TimeSpan.FromSeconds(o.MeasureSeconds / 2));
            var seconds = clock.Elapsed.TotalSeconds;
            var cpu1 = Cpu();
            var m1 = ProcessStats.Machine();
            var depth1 = outbox.Depth.Events;
            var perCamera = health.Select((h, i) => (h.FramesAnalysed - a0[i]) / seconds).ToArray();
            var (p50, p99, events) = latency.Percentiles();
            var parts = latency.PartsP99();
            Progress.Say($"cameras: N={n,3}: worst camera p99: arrival → inference done {health.Max(h => h.PipelineLatency.Percentile(99)):0} ms, " +
                $"analytics {health.Max(h => h.AnalyticsLatency.Percentile(99)):0} ms, inference {health.Max(h => h.InferenceLatency.Percentile(99)):0} ms/frame");
            var rss = ProcessStats.Self().RssBytes + ProcessStats.Children("ffmpeg").RssBytes;
            var minFps = perCamera.Min();
            var growing = depth1 > Math.Max(depth0, depthMid) + n;
            var verdict = new List<string>();
            if (minFps < 0.45) verdict.Add($"a camera analysed only {minFps:0.00} fps (< 0.45, i.e. under one frame per 2 s with 10 % slack)");
            if (events == 0) verdict.Add("no event was delivered (latency unknown)");
            else if (p99 > 1000) verdict.Add($"p99 {p99:0} ms > 1000 ms");
            if (growing) verdict.Add($"outbox growing ({depth0} → {depthMid} → {depth1})");
            return new CameraStep(n, Math.Round(seconds, 1), Math.Round(perCamera.Sum(), 2), Math.Round(minFps, 3), health.Sum(h => h.Dropped) - d0, events,
                Math.Round(p50, 1), Math.Round(p99, 1),
                Math.Round(100 * (cpu1.Worker - cpu0.Worker) / seconds, 1),
                Math.Round(100.0 * (m1.Busy - m0.Busy) / Math.Max(1, m1.Total - m0.Total) * Environment.ProcessorCount, 1),
                Math.Round(100 * (cpu1.Rtsp - cpu0.Rtsp) / seconds, 1),
                Math.Round(100 * (cpu1.Broker - cpu0.Broker) / seconds, 1),
                Math.Round(rss / 1048576.0, 1), Math.Round(rss / 1048576.0 / n, 2), depth0, depth1,
                verdict.Count == 0, verdict.Count == 0 ? "sustained" : string.Join("; ", verdict), Math.Round(parts.Analysis, 1), Math.Round(parts.Delivery, 1));
        }
        finally
        {
            stop.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>CPU seconds so far: the worker (this process + its ffmpeg children), the RTSP server, the broker.</summary>
    private static (double Worker, double Rtsp, double Broker) Cpu() =>
        (ProcessStats.Self().CpuSeconds + ProcessStats.Children("ffmpeg").CpuSeconds, ProcessStats.Children("python3").CpuSeconds, ProcessStats.Children("mosquitto").CpuSeconds);

    /// <summary>Remembers each event's frame arrival time until its PUBACK is taken in, and keeps the latencies.</summary>
    private sealed class LatencyProbe
    {
        private readonly ConcurrentDictionary<Guid, (DateTimeOffset Frame, DateTimeOffset Emitted)> _times = new();
        private readonly ConcurrentQueue<double> _samples = new();
        private readonly ConcurrentQueue<double> _analysis = new();
        private readonly ConcurrentQueue<double> _delivery = new();

        /// <summary>The event left the analytics: frame arrival → here is queueing, inference, tracking and rules.</summary>
        public void Emitted(EdgeEvent evt)
        {
            var now = DateTimeOffset.UtcNow;
            _times[evt.EventId] = (evt.Frame.Time, now);
            _analysis.Enqueue((now - evt.Frame.Time).TotalMilliseconds);
        }

        /// <summary>PUBACK: emitted → here is the outbox write, the publisher and the broker.</summary>
        public void OnDelivered(OutboxEntry entry)
        {
            if (!_times.TryRemove(entry.EventId, out var t)) return;
            var now = DateTimeOffset.UtcNow;
            _samples.Enqueue((now - t.Frame).TotalMilliseconds);
            _delivery.Enqueue((now - t.Emitted).TotalMilliseconds);
        }

        public void Reset()
        {
            _samples.Clear();
            _analysis.Clear();
            _delivery.Clear();
        }

        public (double P50, double P99, long Count) Percentiles() => Of(_samples);

        /// <summary>p99 of the two parts of the latency: frame → emitted, emitted → PUBACK.</summary>
        public (double Analysis, double Delivery) PartsP99() => (Of(_analysis).P99, Of(_delivery).P99);

        private static (double P50, double P99, long Count) Of(ConcurrentQueue<double> samples)
        {
            var s = samples.ToArray();
            if (s.Length == 0) return (0, 0, 0);
            Array.Sort(s);
            double P(double p) => s[Math.Clamp((int)Math.Ceiling(p / 100 * s.Length) - 1, 0, s.Length - 1)];
            return (P(50), P(99), s.Length);
        }
    }

    private sealed class LatencySink(IEventSink inner, LatencyProbe probe) : IEventSink
    {
        public ValueTask EmitAsync(EdgeEvent evt, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct)
        {
            probe.Emitted(evt);
            return inner.EmitAsync(evt, evidence, ct);
        }
    }
}
