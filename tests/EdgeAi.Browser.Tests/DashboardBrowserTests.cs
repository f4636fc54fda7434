using System.Text.Json;
using EdgeAi.Testing;
using Xunit.Abstractions;

namespace EdgeAi.Browser.Tests;

/// <summary>
/// The operator dashboard end to end in real headless Chromium: mosquitto, four RTSP test cameras, the real
/// <c>edgeai run</c> worker (ffmpeg, ONNX Runtime with the bundled demo detector, scenario rules, outbox, MQTT),
/// <c>edgeai-central</c> and its stand-in platform, all as child processes. The browser script
/// (tests/browser/dashboard.test.cjs) signs in, finds a tile per camera from the worker's health, sees the frozen
/// camera degraded, sees a camera whose RTSP server the test stops turn unhealthy (and move first), opens the road
/// collapse incident the worker detects and sees its evidence image, and sees the case's timeline. Screenshots go to
/// TestResults/screenshots/ (git-ignored).
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output) : BrowserSystemTest("dash")
{
    [Fact]
    public async Task Dashboard_LiveSystem_TilesStoppedCameraIncidentEvidenceAndCase()
    {
        var roadClip = SceneClip("smoke-road-collapse");
        var pattern = Clips.TestPattern(640, 360, fps: 25, seconds: 4, gop: 25);
        var frozen = Clips.Frozen(640, 360, fps: 25, seconds: 20);

        var broker = Track(await MosquittoBroker.StartNewAsync(Device));
        var cameras = Track(await RtspCameraServer.StartNewAsync(new Dictionary<string, string> { ["road"] = roadClip, ["plaza"] = pattern, ["frozen"] = frozen }));
        var gate = Track(await RtspCameraServer.StartNewAsync("gate", pattern));   // a server of its own, so the test can stop this camera alone

        var (platformPort, centralPort) = (FreePort.Get(), FreePort.Get());
        var platform = Track(ServerProcess.Start("test-platform", "dotnet", [Binary("edgeai-central.dll"), "test-platform", "--listen", $"http://127.0.0.1:{platformPort}"]));
        await platform.WaitForOutputAsync("READY", TimeSpan.FromSeconds(90));
        var central = Track(await StartCentralAsync(broker, centralPort, platformPort, "central-browser"));
        var worker = Track(StartWorker(broker, new Dictionary<string, string>
        {
            ["road"] = cameras.Url("road"), ["plaza"] = cameras.Url("plaza"), ["frozen"] = cameras.Url("frozen"), ["gate"] = gate.Url("gate"),
        }, roadClip));

        var screenshots = TestPaths.InRepo("TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);
        foreach (var old in Directory.GetFiles(screenshots, "*.png")) File.Delete(old);

        var (code, log) = await BrowserScript.RunAsync("dashboard.test.cjs", new Dictionary<string, string>
        {
            ["DASHBOARD_URL"] = $"http://127.0.0.1:{centralPort}/",
            ["DASHBOARD_TOKEN"] = Token,
            ["SCREENSHOT_DIR"] = screenshots,
            ["EXPECT_CAMERAS"] = string.Join(",", new[] { "road", "plaza", "frozen", "gate" }.Select(c => $"{Device}/{c}")),
            ["STOP_CAMERA"] = $"{Device}/gate",
            ["FROZEN_CAMERA"] = $"{Device}/frozen",
            ["INCIDENT_CAMERA"] = $"{Device}/road",
            ["STEP_TIMEOUT_MS"] = "150000",
        }, async line =>
        {
            output.WriteLine(line);
            if (!line.StartsWith("STOP-CAMERA ", StringComparison.Ordinal)) return null;
            await gate.StopAsync();
            return "stopped";
        }, TimeSpan.FromMinutes(9));

        var context = $"browser script exit {code}:\n{log}\n--- worker\n{Tail(worker.Output)}\n--- central\n{Tail(central.Output)}\n--- cameras\n{cameras.Log}";
        Assert.True(code == 0 && log.Contains("\nPASS", StringComparison.Ordinal), context);
        foreach (var shot in new[] { "01-sign-in-refused", "02-cameras-streaming", "03-camera-stopped-unhealthy", "04-incident-evidence", "05-dashboard" })
            Assert.True(new FileInfo(Path.Combine(screenshots, shot + ".png")).Length > 10_000, $"screenshot {shot} missing or empty");
        Assert.DoesNotContain(Token, central.Output + worker.Output + log);

        // Everything the real worker published (health with quality measurements, events, evidence) passed Central's validation.
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{centralPort}") };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal("[]", await api.GetStringAsync("/api/v1/dead-letters"));
    }

    /// <summary>A clip from the scene generator's smoke set (rendered into .cache/clips/smoke once; later runs reuse it).</summary>
    private static string SceneClip(string name)
    {
        var dir = Path.Combine(TestPaths.Cache, "clips", "smoke");
        var clip = Path.Combine(dir, name + ".mp4");
        if (File.Exists(clip) && File.Exists(Path.Combine(dir, name + ".hash"))) return clip;
        var (code, text) = Tool.Exec("/usr/bin/python3", [TestPaths.InRepo("models", "scenegen", "render.py"), "--set", "smoke", "--out", dir], TestPaths.RepoRoot);
        if (code != 0 || !File.Exists(clip)) throw new InvalidOperationException($"scene generator failed ({code}): {text}");
        return clip;
    }


    private ServerProcess StartWorker(MosquittoBroker broker, IReadOnlyDictionary<string, string> urls, string roadClip)
    {
        var passwordFile = Path.Combine(Dir, "mqtt.password");
        File.WriteAllText(passwordFile, broker.Passwords[Device]);
        // The road camera watches the generator's road zone; a pothole seen in 2 analysed frames starts an episode.
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(roadClip, null) + ".gt.json"));
        var zones = truth.RootElement.GetProperty("zones").EnumerateArray()
            .Select(z => new { id = z.GetProperty("id").GetString(), type = z.GetProperty("type").GetString(), polygon = z.GetProperty("polygon") }).ToList();
        object Camera(string id, object? scenarios = null, object? quality = null) => new
        {
            id, name = $"{id} camera", url = urls[id], location = new { lat = 31.2304, lon = 121.4737 },
            decode = new { stall_timeout = "00:00:08", socket_timeout = "00:00:03" }, scenarios, quality,
        };
        var config = Path.Combine(Dir, "worker.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            device_id = Device,
            mqtt = new { host = broker.Host, port = broker.Port, password_file = passwordFile },
            outbox = new { path = Path.Combine(Dir, "outbox.db") },
            evidence = new { directory = Path.Combine(Dir, "evidence") },
            models = new[] { new { id = "demo", manifest = TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json"), threads = 1, batch_size = 4 } },
            cameras = new[]
            {
                Camera("road", scenarios: new { zones, road_collapse = new { min_frames = 2 } }),
                Camera("plaza"),
                Camera("frozen", quality: new { frozen_after = "00:00:03" }),
                Camera("gate"),
            },
        }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
        return ServerProcess.Start("edgeai", "dotnet", [Binary("edgeai.dll"), "run", "--config", config]);
    }
}
