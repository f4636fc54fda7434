using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using EdgeAi.Testing;
using Xunit.Abstractions;

namespace EdgeAi.Browser.Tests;

/// <summary>
/// The incident view's evidence in real headless Chromium (tests/browser/evidence.test.cjs) against a real
/// <c>edgeai-central</c> process, its stand-in platform and mosquitto. The test plays the gateway over MQTT: a 1080p
/// snapshot with the episode's start, an unblurred clip kept on the gateway (a real H.264 MP4 from ffmpeg) referenced by
/// the next event, fetch_evidence answered with the blob, and a verify reply with an after-picture. The script signs in
/// as alice (evidence_unblurred), requests the clip and sees it play (metadata loaded through Range requests), sees before
/// and after; then as bob (no permission) sees no player and no request button.
/// </summary>
public sealed class EvidenceBrowserTests(ITestOutputHelper output) : BrowserSystemTest("evid")
{
    private readonly string _alice = "alice-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly string _bob = "bob-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    [Fact]
    public async Task IncidentView_OnGatewayClipRequestedAndPlayed_BeforeAndAfterShown()
    {
        var snapshot = Ffmpeg("snapshot.jpg", ["-f", "lavfi", "-i", "testsrc2=size=1920x1080", "-frames:v", "1", "-q:v", "3"]);
        var after = Ffmpeg("after.jpg", ["-f", "lavfi", "-i", "smptebars=size=1920x1080", "-frames:v", "1", "-q:v", "3"]);
        var clip = Ffmpeg("clip.mp4", ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t", "6", "-c:v", "libx264", "-preset", "veryfast", "-threads", "1",
            "-pix_fmt", "yuv420p", "-g", "25", "-movflags", "+faststart"]);

        var broker = Track(await MosquittoBroker.StartNewAsync(Device));
        var (platformPort, centralPort) = (FreePort.Get(), FreePort.Get());
        var platform = Track(ServerProcess.Start("test-platform", "dotnet", [Binary("edgeai-central.dll"), "test-platform", "--listen", $"http://127.0.0.1:{platformPort}"]));
        await platform.WaitForOutputAsync("READY", TimeSpan.FromSeconds(90));
        var central = Track(await StartCentralAsync(broker, centralPort, platformPort));

        // the gateway: answers fetch_evidence from its "recording" and verify with an after-picture (still present)
        var gateway = Track(new MqttClient(broker.ClientOptions(Device)));
        var snapshotId = "snap-" + Guid.NewGuid().ToString("N")[..12];
        var clipId = "clip-" + Guid.NewGuid().ToString("N")[..12];
        string? afterId = null;
        gateway.MessageReceived += m =>
        {
            var cmd = JsonSerializer.Deserialize(m.Payload, EdgeAiJsonContext.Default.DeviceCommand)!;
            _ = Task.Run(async () =>
            {
                EvidenceRef sent;
                CommandResult result;
                if (cmd.Type == DeviceCommandTypes.FetchEvidence && cmd.EvidenceId == clipId)
                {
                    await gateway.PublishAsync(Topics.Evidence(Device, clipId), clip, contentType: "video/mp4", correlationData: UuidV7.ToBytes(cmd.CommandId));
                    sent = Ref(clipId, clip, "video/mp4", EvidenceKinds.Clip) with { Blurred = false, Delivery = EvidenceDelivery.OnDevice };
                    result = CommandResult.Cleared;
                }
                else
                {
                    afterId = "after-" + cmd.CommandId.ToString("N")[..12];
                    await gateway.PublishAsync(Topics.Evidence(Device, afterId), after, contentType: "image/jpeg", correlationData: UuidV7.ToBytes(cmd.CommandId));
                    sent = Ref(afterId, after, "image/jpeg", EvidenceKinds.After) with { Width = 1920, Height = 1080, Blurred = true };
                    result = CommandResult.StillPresent;
                }
                var reply = new CommandReply(cmd.CommandId, Device, result, [sent], "browser test gateway", DateTimeOffset.UtcNow);
                await gateway.PublishAsync(Topics.Replies(Device), JsonSerializer.SerializeToUtf8Bytes(reply, EdgeAiJsonContext.Default.CommandReply));
            });
        };
        gateway.Start();
        await gateway.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await gateway.SubscribeAsync(Topics.Commands(Device)).WaitAsync(TimeSpan.FromSeconds(30));

        var episode = UuidV7.New();
        var t0 = DateTimeOffset.UtcNow;
        var started = Event(episode, EventType.Started, 1, t0, [Ref(snapshotId, snapshot, "image/jpeg", EvidenceKinds.Snapshot) with { Width = 1920, Height = 1080, Blurred = true }]);
        await gateway.PublishAsync(Topics.Evidence(Device, snapshotId), snapshot, contentType: "image/jpeg", correlationData: UuidV7.ToBytes(started.EventId));
        await gateway.PublishAsync(Topics.Events(Device), JsonSerializer.SerializeToUtf8Bytes(started, EdgeAiJsonContext.Default.EdgeEvent), contentType: "application/json");
        var clipRef = Ref(clipId, clip, "video/mp4", EvidenceKinds.Clip) with
        {
            Width = 1280, Height = 720, StartTime = t0.AddSeconds(-3), EndTime = t0.AddSeconds(3), Blurred = false, Delivery = EvidenceDelivery.OnDevice,
        };
        var updated = Event(episode, EventType.Updated, 2, t0.AddSeconds(3), [clipRef]);
        await gateway.PublishAsync(Topics.Events(Device), JsonSerializer.SerializeToUtf8Bytes(updated, EdgeAiJsonContext.Default.EdgeEvent), contentType: "application/json");

        // the platform resolves the case; the camera still sees it and sends an after-picture
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{centralPort}") };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        using var platformApi = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{platformPort}") };
        string? platformId = null;
        await Eventually.UntilAsync(() =>
        {
            var cases = platformApi.GetFromJsonAsync<JsonElement>("/admin/cases").GetAwaiter().GetResult();
            if (cases.GetArrayLength() == 0) return false;
            platformId = cases[0].GetProperty("case_id").GetString();
            return true;
        }, TimeSpan.FromSeconds(60), () => $"case not filed\n{Tail(central.Output)}");
        (await platformApi.PostAsJsonAsync($"/admin/cases/{platformId}/status", new { status = "resolved", note = "cleaned" })).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() =>
        {
            var incidents = api.GetFromJsonAsync<JsonElement>("/api/v1/incidents").GetAwaiter().GetResult();
            var d = api.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidents[0].GetProperty("incident_id").GetString()}").GetAwaiter().GetResult();
            return d.GetProperty("pictures").GetProperty("after").EnumerateArray().Any(a => a.GetProperty("stored").GetBoolean());
        }, TimeSpan.FromSeconds(60), () => $"no after-picture\n{Tail(central.Output)}");

        var screenshots = TestPaths.InRepo("TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);
        var (code, log) = await BrowserScript.RunAsync("evidence.test.cjs", new Dictionary<string, string>
        {
            ["DASHBOARD_URL"] = $"http://127.0.0.1:{centralPort}/",
            ["ALICE_TOKEN"] = _alice,
            ["BOB_TOKEN"] = _bob,
            ["CLIP_ID"] = clipId,
            ["SNAPSHOT_ID"] = snapshotId,
            ["AFTER_ID"] = afterId!,
            ["SCREENSHOT_DIR"] = screenshots,
            ["STEP_TIMEOUT_MS"] = "60000",
        }, line => { output.WriteLine(line); return Task.FromResult<string?>(null); }, TimeSpan.FromMinutes(5));
        Assert.True(code == 0 && log.Contains("\nPASS", StringComparison.Ordinal), $"browser script exit {code}:\n{log}\n--- central\n{Tail(central.Output)}");
        foreach (var shot in new[] { "20-evidence-clip-on-gateway", "21-evidence-clip-playing", "22-evidence-denied" })
            Assert.True(new FileInfo(Path.Combine(screenshots, shot + ".png")).Length > 10_000, $"screenshot {shot} missing or empty");

        // Central's audit has alice's request and view, and bob saw nothing unblurred (he was never offered it)
        var audit = await api.GetFromJsonAsync<JsonElement>($"/api/v1/evidence-access?evidence_id={clipId}");
        var rows = audit.EnumerateArray().Select(a => $"{a.GetProperty("principal").GetString()} {a.GetProperty("action").GetString()} {a.GetProperty("allowed").GetBoolean()}").ToList();
        Assert.Contains("alice fetch True", rows);
        Assert.Contains("alice view True", rows);
        Assert.DoesNotContain(rows, r => r.StartsWith("bob", StringComparison.Ordinal) && r.EndsWith("True", StringComparison.Ordinal));
        Assert.DoesNotContain(_alice, central.Output + log);
        Assert.Equal("[]", await api.GetStringAsync("/api/v1/dead-letters"));
    }

    private static EvidenceRef Ref(string id, byte[] data, string type, string kind) =>
        new(id, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), data.Length, type, kind);

    private static EdgeEvent Event(Guid episode, EventType type, long sequence, DateTimeOffset time, IReadOnlyList<EvidenceRef> evidence) => new()
    {
        SchemaVersion = EdgeEventSchema.CurrentVersion, EventId = UuidV7.New(), EpisodeId = episode, Type = type, Sequence = sequence,
        DeviceId = Device, Camera = new CameraInfo("cam-1", "plaza camera", 31.2304, 121.4737), Scenario = Scenarios.Litter,
        Zone = new ZoneInfo("zone-1", "plaza", "plaza"),
        Rule = new RuleEvaluation("litter-rule", new Dictionary<string, double> { ["min_duration_s"] = 10 }, new Dictionary<string, double> { ["duration_s"] = 12 }),
        Objects = [new DetectedObject("litter", 0.8, [0.4, 0.4, 0.6, 0.6])], Frame = new FrameInfo(time, 1920, 1080), DetectionTime = time,
        Model = new ModelInfo("demo", "1.0", new string('a', 64)), Evidence = evidence,
    };

    private byte[] Ffmpeg(string name, string[] args)
    {
        var path = Path.Combine(Dir, name);
        var (code, text) = Tool.Exec("ffmpeg", ["-v", "error", "-nostdin", "-y", .. args, path], Dir);
        Assert.True(code == 0, $"ffmpeg {name} failed ({code}): {text}");
        return File.ReadAllBytes(path);
    }

    private Task<ServerProcess> StartCentralAsync(MosquittoBroker broker, int port, int platformPort) =>
        StartCentralAsync(broker, port, platformPort, "central-evidence", config =>
        {
            // The stand-in platform runs without the callback secret: Central polls its status.
            config["platform"]!["poll_interval_s"] = 0.5;
            config["verification"] = new JsonObject { ["reply_timeout_s"] = 60 };
            config["access"] = new JsonObject
            {
                ["fetch_timeout_s"] = 30,
                ["users"] = new JsonArray(
                    new JsonObject { ["name"] = "alice", ["token_env"] = "EDGEAI_TOKEN_ALICE", ["permissions"] = new JsonArray("evidence_unblurred"), ["cameras"] = new JsonArray($"{Device}/cam-1") },
                    new JsonObject { ["name"] = "bob", ["token_env"] = "EDGEAI_TOKEN_BOB" }),
            };
        }, new Dictionary<string, string> { ["EDGEAI_TOKEN_ALICE"] = _alice, ["EDGEAI_TOKEN_BOB"] = _bob });
}
