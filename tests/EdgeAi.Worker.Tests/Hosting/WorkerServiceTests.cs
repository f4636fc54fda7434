using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeAi.Testing;
using EdgeAi.Worker.Tests.Cli;

namespace EdgeAi.Worker.Tests.Hosting;

/// <summary>
/// The real <c>edgeai run</c> process with a real broker and real RTSP cameras: its HTTP endpoints, its Prometheus
/// /metrics (checked with the prometheus_client text parser) and its sd_notify messages to a test notify socket,
/// including the watchdog withholding its pings while the inference stage hangs (test-only hook EDGEAI_TEST_HANG_INFERENCE).
/// </summary>
public sealed class WorkerServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _dir = TestPaths.NewTempDir("svc");
    private readonly int _httpPort = FreePort.Get();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private MosquittoBroker _broker = null!;
    private RtspCameraServer _cameras = null!;
    private Socket _notify = null!;
    private ServerProcess _worker = null!;
    private readonly List<string> _notifications = [];
    private string HangFile => Path.Combine(_dir, "hang-inference");

    private string Url(string path) => $"http://127.0.0.1:{_httpPort}{path}";

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartNewAsync("edge-svc");
        var clip = Clips.TestPattern(320, 180, fps: 10, seconds: 4, gop: 10);
        _cameras = await RtspCameraServer.StartNewAsync(new Dictionary<string, string> { ["north"] = clip, ["south"] = clip });

        var socketPath = Path.Combine(_dir, "notify.sock");
        _notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        _ = Task.Run(ReceiveNotificationsAsync);

        var config = Path.Combine(_dir, "edgeai.json");
        File.WriteAllText(config, $$"""
            {
              "device_id": "edge-svc",
              "mqtt": { "host": "127.0.0.1", "port": {{_broker.Port}} },
              "outbox": { "path": "outbox.db" },
              "evidence": { "directory": "evidence" },
              "http": { "listen": "127.0.0.1:{{_httpPort}}" },
              "logging": { "json": true },
              "watchdog": { "pipeline_stall_s": 5 },
              "models": [ { "id": "demo", "manifest": "{{TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json")}}", "threads": 1, "batch_size": 2 } ],
              "cameras": [
                { "id": "north", "url": "{{_cameras.Url("north")}}" },
                { "id": "south.gate", "url": "{{_cameras.Url("south")}}" }
              ]
            }
            """);
        _worker = ServerProcess.Start("edgeai", "dotnet", [EdgeAiCli.Dll, "run", "--config", config], _dir, new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = socketPath,
            ["WATCHDOG_USEC"] = "2000000",
            ["EDGEAI_TEST_HANG_INFERENCE"] = HangFile,
            ["EDGEAI_MQTT_PASSWORD"] = _broker.Passwords["edge-svc"],
        });
    }

    private async Task ReceiveNotificationsAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await _notify.ReceiveAsync(buffer, SocketFlags.None);
                lock (_notifications) _notifications.Add(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private string Notifications { get { lock (_notifications) return string.Join(" | ", _notifications); } }

    private async Task<(HttpStatusCode Code, string Body)> GetAsync(string path)
    {
        try
        {
            using var r = await _http.GetAsync(Url(path));
            return (r.StatusCode, await r.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException ex)
        {
            return (0, ex.Message);
        }
    }

    private async Task WaitReadyAsync()
    {
        (HttpStatusCode Code, string Body) last = default;
        var deadline = DateTime.UtcNow + Patience;
        while ((last = await GetAsync("/readyz")).Code != HttpStatusCode.OK)
        {
            if (_worker.HasExited || DateTime.UtcNow > deadline)
                throw new TimeoutException($"worker not ready: {last.Code} {last.Body}\n{_worker.Output}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Run_WithNotifySocket_SendsReadyThenWatchdogAndStatus()
    {
        await Eventually.UntilAsync(() => Notifications.Contains("READY=1"), Patience, () => $"no READY=1: {Notifications}\n{_worker.Output}");
        await Eventually.UntilAsync(() => { lock (_notifications) return _notifications.Count(n => n.Contains("WATCHDOG=1")) >= 2; },
            Patience, () => $"fewer than two WATCHDOG=1: {Notifications}\n{_worker.Output}");
        await Eventually.UntilAsync(() => Notifications.Contains("STATUS=2/2 cameras streaming"), Patience, () => $"no streaming status: {Notifications}");

        await _worker.StopAsync(TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => Notifications.Contains("STOPPING=1"), TimeSpan.FromSeconds(10), () => $"no STOPPING=1: {Notifications}\n{_worker.Output}");
    }

    private int Count(Func<string, bool> match) { lock (_notifications) return _notifications.Count(match); }

    /// <summary>Index of the first of <paramref name="length"/> notifications in a row, from <paramref name="from"/> on, that
    /// report a stall and carry no ping; -1 when there is none yet.</summary>
    private int StalledRun(int from, int length)
    {
        lock (_notifications)
        {
            var run = 0;
            for (var i = from; i < _notifications.Count; i++)
            {
                run = _notifications[i].Contains("(stalled:") && !_notifications[i].Contains("WATCHDOG=1") ? run + 1 : 0;
                if (run == length) return i - length + 1;
            }
            return -1;
        }
    }

    [Fact]
    public async Task Watchdog_InferenceStageHangs_PingsStopThenResumeWhenItMovesAgain()
    {
        // Healthy: frames analysed, pings flow.
        await WaitReadyAsync();
        await Eventually.UntilAsync(() => Count(n => n.Contains("WATCHDOG=1") && n.Contains("2/2 cameras streaming")) >= 2,
            Patience, () => $"no pings while streaming: {Notifications}\n{_worker.Output}");

        int hungAt = Count(_ => true);
        File.WriteAllText(HangFile, "");   // every inference stage now blocks before its detector
        // Four notifications in a row (one per half watchdog period) carry the stall and no ping: systemd would restart it.
        // (On a starved machine a batch already inside the detector when the file appeared may finish after the first stall
        // report — real progress, so pings may come once more before the stall holds.)
        int stalledAt = -1;
        await Eventually.UntilAsync(() => (stalledAt = StalledRun(hungAt, 4)) >= 0, Patience, () => $"no four stalled notifications in a row: {Notifications}\n{_worker.Output}");
        Assert.Contains("watchdog pings withheld", _worker.Output);

        File.Delete(HangFile);   // it moves again: pings come back
        await Eventually.UntilAsync(() => { lock (_notifications) return _notifications.Skip(stalledAt).Any(n => n.Contains("WATCHDOG=1")); },
            Patience, () => $"pings did not resume: {Notifications}\n{_worker.Output}");
    }

    [Fact]
    public async Task Http_WhenStreaming_ServesHealthReadinessStatusPageAndParsableMetrics()
    {
        await WaitReadyAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/healthz")).Code);
        var page = await GetAsync("/");
        Assert.Contains("<title>EdgeAi worker</title>", page.Body);

        // Both cameras analysed at least once, so every per-camera series exists.
        JsonElement cameras = default;
        await Eventually.UntilAsync(() =>
        {
            var health = GetAsync("/api/health").GetAwaiter().GetResult();
            if (health.Code != HttpStatusCode.OK) return false;
            cameras = JsonDocument.Parse(health.Body).RootElement.GetProperty("cameras").Clone();
            return cameras.EnumerateArray().All(c => c.GetProperty("frames_analysed").GetInt64() > 0 && c.GetProperty("fps_in").GetDouble() > 0);
        }, Patience, () => $"cameras not analysed: {cameras}\n{_worker.Output}");
        Assert.Equal(["north", "south.gate"], cameras.EnumerateArray().Select(c => c.GetProperty("camera_id").GetString()!).ToArray());
        Assert.All(cameras.EnumerateArray(), c => Assert.Equal("streaming", c.GetProperty("state").GetString()));

        var metrics = await GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.Code);
        var samples = PrometheusParser.Parse(metrics.Body);

        foreach (var camera in new[] { "north", "south.gate" })
        {
            Assert.True(samples.Value("edgeai_camera_frames_in_total", ("camera", camera)) > 0, metrics.Body);
            Assert.True(samples.Value("edgeai_camera_frames_analysed_total", ("camera", camera)) > 0);
            Assert.Equal(0, samples.Value("edgeai_camera_reconnects_total", ("camera", camera)));
            Assert.Equal(1, samples.Value("edgeai_camera_state", ("camera", camera), ("state", "streaming")));
            Assert.Equal(0, samples.Value("edgeai_camera_state", ("camera", camera), ("state", "failed")));
            var count = samples.Value("edgeai_inference_latency_ms_count", ("camera", camera));
            Assert.True(count > 0);
            Assert.Equal(count, samples.Value("edgeai_inference_latency_ms_bucket", ("camera", camera), ("le", "+Inf")));
            Assert.True(samples.Value("edgeai_analytics_latency_ms_count", ("camera", camera)) > 0);
        }
        Assert.Equal(1, samples.Value("edgeai_mqtt_connected"));
        Assert.Equal(1, samples.Value("edgeai_worker_ready"));
        Assert.Equal(0, samples.Value("edgeai_outbox_shed_events_total"));
        Assert.Equal("counter", samples.Types["edgeai_camera_frames_in"]);
        Assert.Equal("histogram", samples.Types["edgeai_inference_latency_ms"]);
        Assert.Equal("gauge", samples.Types["edgeai_outbox_events"]);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _worker.DisposeAsync();
        _notify.Dispose();
        await _cameras.DisposeAsync();
        await _broker.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
