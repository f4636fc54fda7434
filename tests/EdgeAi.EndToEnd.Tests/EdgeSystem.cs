using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAi.Central.TestPlatform;
using EdgeAi.Testing;

namespace EdgeAi.EndToEnd.Tests;

/// <summary>
/// The whole system on loopback, each part a real process where a fault test needs to kill it: mosquitto, the RTSP
/// test cameras serving the scene generator's demo clips, <c>edgeai run</c> (the worker), <c>edgeai-central run</c>
/// and the stand-in governance platform (in process, so tests can read what it received). Configs come from
/// build/demo_config.py, the same generator <c>make demo</c> uses; secrets are files, never arguments.
/// </summary>
internal sealed class EdgeSystem : IAsyncDisposable
{
    public const string DeviceId = "edge-demo";
    private static readonly SemaphoreSlim RenderLock = new(1, 1);

    private readonly string _dir;
    private readonly string _token = Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private ServerProcess? _worker;
    private ServerProcess? _central;
    private string _earlierWorkers = "";

    private EdgeSystem(string dir, MosquittoBroker broker, RtspCameraServer cameras, RtspCameraServer? separate, TestPlatformServer platform, int apiPort)
    {
        _dir = dir;
        Broker = broker;
        Cameras = cameras;
        SeparateCamera = separate;
        Platform = platform;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
    }

    public MosquittoBroker Broker { get; }
    public RtspCameraServer Cameras { get; }

    /// <summary>The camera given as <c>separateMount</c> to <see cref="StartAsync"/>, on its own RTSP server (to stop and start it alone).</summary>
    public RtspCameraServer? SeparateCamera { get; }
    public TestPlatformServer Platform { get; }
    public HttpClient Api { get; }
    public string WorkerConfig => Path.Combine(_dir, "worker.json");
    public ServerProcess Worker => _worker ?? throw new InvalidOperationException("worker not started");
    public ServerProcess Central => _central ?? throw new InvalidOperationException("central not started");

    /// <summary>Renders the demo clips if needed (cached by content hash) and returns their folder.</summary>
    public static async Task<string> DemoClipsAsync()
    {
        var dir = Path.Combine(TestPaths.Cache, "clips", "demo");
        await RenderLock.WaitAsync();
        try
        {
            await Task.Run(() => Tool.Run("/usr/bin/python3", TestPaths.InRepo("models", "scenegen", "render.py"), "--set", "demo", "--out", dir));
        }
        finally { RenderLock.Release(); }
        return dir;
    }

    /// <summary>Starts everything; <paramref name="editWorker"/> may change the generated worker config first;
    /// <paramref name="separateMount"/> (e.g. "litter") is served by a server of its own.</summary>
    public static async Task<EdgeSystem> StartAsync(Action<JsonObject>? editWorker = null, string? separateMount = null)
    {
        // What is started before the system object exists is disposed here when a later step fails (a broker left running
        // would outlive the test run); once it exists, disposing it stops everything.
        var started = new List<IAsyncDisposable>();
        try
        {
            return await StartPartsAsync(started, editWorker, separateMount);
        }
        catch
        {
            for (var i = started.Count - 1; i >= 0; i--) await started[i].DisposeAsync();
            throw;
        }
    }

    private static async Task<EdgeSystem> StartPartsAsync(List<IAsyncDisposable> started, Action<JsonObject>? editWorker, string? separateMount)
    {
        var clips = await DemoClipsAsync();
        var dir = TestPaths.NewTempDir("edgeai-system");
        var broker = await MosquittoBroker.StartNewAsync(DeviceId);
        started.Add(broker);
        var mounts = Directory.GetFiles(clips, "demo-*.mp4").ToDictionary(f => Path.GetFileNameWithoutExtension(f)["demo-".Length..]);
        RtspCameraServer? separate = null;
        if (separateMount is not null)
        {
            separate = await RtspCameraServer.StartNewAsync(separateMount, mounts[separateMount]);
            started.Add(separate);
            mounts.Remove(separateMount);
        }
        var cameras = await RtspCameraServer.StartNewAsync(mounts);
        started.Add(cameras);
        var platformSecret = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var apiPort = FreePort.Get();
        var platformPort = FreePort.Get();
        var platform = await TestPlatformServer.StartNewAsync(new TestPlatformOptions
        {
            Listen = $"http://127.0.0.1:{platformPort}",
            Secret = platformSecret,
            CallbackUrl = new Uri($"http://127.0.0.1:{apiPort}/api/v1/platform/callback"),
            AutoProgress = TimeSpan.FromSeconds(3),
        });
        started.Add(platform);
        var system = new EdgeSystem(dir, broker, cameras, separate, platform, apiPort);
        started.Clear();
        started.Add(system);   // from here on the system disposes all of it

        await Task.Run(() => Tool.Run("/usr/bin/python3", TestPaths.InRepo("build", "demo_config.py"), "--clips", clips, "--run-dir", dir, "--repo", TestPaths.RepoRoot,
            "--mqtt-port", broker.Port.ToString(), "--rtsp-port", cameras.Port.ToString(), "--api-port", apiPort.ToString(), "--platform-port", platformPort.ToString()));
        var worker = JsonNode.Parse(await File.ReadAllTextAsync(system.WorkerConfig))!.AsObject();
        if (separate is not null)
            foreach (var camera in worker["cameras"]!.AsArray())
                if (camera!["url"]!.GetValue<string>().EndsWith("/" + separateMount, StringComparison.Ordinal)) camera["url"] = separate.Url(separateMount!);
        await File.WriteAllTextAsync(Path.Combine(dir, "mqtt.password"), broker.Passwords[DeviceId]);
        worker["mqtt"]!["password_file"] = "mqtt.password";
        editWorker?.Invoke(worker);
        await File.WriteAllTextAsync(system.WorkerConfig, worker.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        await system.WriteSecretAsync("EDGEAI_CENTRAL_API_TOKEN", system._token);
        await system.WriteSecretAsync("EDGEAI_CENTRAL_MQTT_PASSWORD", broker.Passwords["central"]);
        await system.WriteSecretAsync("EDGEAI_CENTRAL_PLATFORM_SECRET", platformSecret);
        await system.StartCentralAsync();
        await system.StartWorkerAsync();
        return system;
    }

    private Task WriteSecretAsync(string name, string value) => File.WriteAllTextAsync(Path.Combine(_dir, name), value);

    public async Task StartCentralAsync()
    {
        var secrets = new[] { "EDGEAI_CENTRAL_API_TOKEN", "EDGEAI_CENTRAL_MQTT_PASSWORD", "EDGEAI_CENTRAL_PLATFORM_SECRET" }
            .Select(n => $"{n}_FILE={Path.Combine(_dir, n)}");
        _central = ServerProcess.Start("edgeai-central", "/usr/bin/env",
            [.. secrets, "dotnet", Path.Combine(AppContext.BaseDirectory, "edgeai-central.dll"), "run", "--config", Path.Combine(_dir, "central.json")]);
        await Eventually.UntilAsync(async () =>
        {
            if (_central.HasExited) throw new InvalidOperationException($"Central exited:\n{_central.Output}");
            try { return (await Api.GetAsync("/readyz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(90), () => $"Central not ready:\n{_central.Output}");
    }

    public Task StartWorkerAsync()
    {
        if (_worker is not null) _earlierWorkers += $"--- earlier worker (exited: {_worker.HasExited})\n{_worker.Output}\n";
        _worker = ServerProcess.Start("edgeai", "dotnet", [Path.Combine(AppContext.BaseDirectory, "edgeai.dll"), "run", "--config", WorkerConfig]);
        return Task.CompletedTask;
    }

    /// <summary>GET /api/v1/{path} as JSON.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync("/api/v1/" + path);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The worker's latest health report as Central holds it, per camera id.</summary>
    public async Task<Dictionary<string, JsonElement>> CameraHealthAsync()
    {
        var device = (await GetAsync("devices")).EnumerateArray().SingleOrDefault();
        // Before the first health report the device is known from its status only, and "health" is left out.
        if (device.ValueKind != JsonValueKind.Object || !device.TryGetProperty("health", out var health) || health.ValueKind != JsonValueKind.Object) return [];
        return health.GetProperty("cameras").EnumerateArray().ToDictionary(c => c.GetProperty("camera_id").GetString()!);
    }

    /// <summary>Incidents Central holds, by scenario.</summary>
    public async Task<IReadOnlyList<string>> IncidentScenariosAsync() =>
        [.. (await GetAsync("incidents?limit=1000")).EnumerateArray().Select(i => i.GetProperty("scenario").GetString()!)];

    public string Describe() =>
        $"{_earlierWorkers}--- worker\n{_worker?.Output}\n--- central\n{_central?.Output}\n--- platform cases: {Platform.Cases.Count}";

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (_worker is not null) await _worker.DisposeAsync();
        if (_central is not null) await _central.DisposeAsync();
        await Platform.DisposeAsync();
        await Cameras.DisposeAsync();
        if (SeparateCamera is not null) await SeparateCamera.DisposeAsync();
        await Broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
