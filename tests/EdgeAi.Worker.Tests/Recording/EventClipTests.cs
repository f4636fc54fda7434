using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Tests.Cli;
using EdgeAi.Worker.Tests.Delivery;
using Xunit.Abstractions;

namespace EdgeAi.Worker.Tests.Recording;

/// <summary>
/// Event clips on the real <c>edgeai run</c> process with a real broker and a real RTSP camera serving the demo crowding
/// scene: the camera records (stream copy into a ring), a crowding episode starts, its clip (pre-roll + post-roll) is cut
/// and announced on an <c>updated</c> event with delivery on_device, and a <c>fetch_evidence</c> command returns the clip
/// (a playable H.264 MP4 covering the episode start) while an unknown id gets an error reply.
/// </summary>
public sealed class EventClipTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const string Device = "edge-clip";
    private const double PreS = 4, PostS = 6, SegmentS = 1;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly string _dir = TestPaths.NewTempDir("clip");
    private readonly int _httpPort = FreePort.Get();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private MosquittoBroker _broker = null!;
    private RtspCameraServer _cameras = null!;
    private ServerProcess _worker = null!;
    private EventConsumer _central = null!;

    private JsonElement _gt;

    public async Task InitializeAsync()
    {
        var clips = Path.Combine(TestPaths.Cache, "clips", "demo");
        await Task.Run(() => Tool.Run("/usr/bin/python3", TestPaths.InRepo("models", "scenegen", "render.py"), "--set", "demo", "--out", clips));
        _gt = JsonDocument.Parse(File.ReadAllText(Path.Combine(clips, "demo-crowding.gt.json"))).RootElement;
        _broker = await MosquittoBroker.StartNewAsync(Device);
        _cameras = await RtspCameraServer.StartNewAsync("crowding", Path.Combine(clips, "demo-crowding.mp4"));
        _central = await EventConsumer.StartAsync(_broker);
    }

    private void StartWorker(string delivery)
    {
        var zone = _gt.GetProperty("zones")[0];
        var config = new
        {
            device_id = Device,
            mqtt = new { host = "127.0.0.1", port = _broker.Port },
            outbox = new { path = "outbox.db" },
            evidence = new { directory = "evidence" },
            http = new { listen = $"127.0.0.1:{_httpPort}" },
            recording = new { directory = "recordings", segment_s = SegmentS, ring_s = 20, clip_pre_s = PreS, clip_post_s = PostS, delivery },
            models = new[] { new { id = "demo", manifest = TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json"), threads = 1, batch_size = 2 } },
            cameras = new[]
            {
                new
                {
                    id = "plaza",
                    url = _cameras.Url("crowding"),
                    record = true,
                    scenarios = new
                    {
                        zones = new[] { new { id = zone.GetProperty("id").GetString(), type = zone.GetProperty("type").GetString(), polygon = zone.GetProperty("polygon") } },
                        crowding = new { min_duration = "00:00:02" },
                    },
                },
            },
        };
        File.WriteAllText(Path.Combine(_dir, "edgeai.json"), JsonSerializer.Serialize(config));
        _worker = ServerProcess.Start("edgeai", "dotnet", [EdgeAiCli.Dll, "run", "--config", Path.Combine(_dir, "edgeai.json")], _dir,
            new Dictionary<string, string> { ["EDGEAI_MQTT_PASSWORD"] = _broker.Passwords[Device] });
    }

    [Fact]
    public async Task Episode_OnRecordingCamera_ClipOnUpdatedEventFetchedByCommand()
    {
        StartWorker("on_device");
        await _central.WaitForAsync(c => c.Arrivals.Any(e => e.Type == EventType.Updated && e.Evidence.Any(r => r.Kind == EvidenceKinds.Clip)), Patience,
            "an updated event with a clip");
        var started = _central.Arrivals.First(e => e.Type == EventType.Started);
        var updated = _central.Arrivals.First(e => e.Type == EventType.Updated && e.Evidence.Any(r => r.Kind == EvidenceKinds.Clip));
        Assert.Equal(started.EpisodeId, updated.EpisodeId);
        Assert.True(updated.Sequence > started.Sequence, "the started event went out first, without waiting for the clip");
        var clip = Assert.Single(updated.Evidence);
        log.WriteLine($"clip {clip.Bytes} bytes, {(clip.EndTime - clip.StartTime)!.Value.TotalSeconds:0.0} s; ready {(DateTimeOffset.UtcNow - started.DetectionTime).TotalSeconds:0.0} s after the episode start (upper bound: when the test saw it)");
        Assert.Equal(EvidenceDelivery.OnDevice, clip.Delivery);
        Assert.False(clip.Blurred);
        Assert.Equal("video/mp4", clip.ContentType);
        // Not published: an on-device clip never leaves the box unasked.
        Assert.DoesNotContain(_central.Other, m => m.Topic == Topics.Evidence(Device, clip.Id));
        // Its time covers the episode start, from about the pre-roll before to the post-roll after (whole segments: within a GOP + segment).
        var episodeStart = started.Frame.Time;
        Assert.True(clip.StartTime <= episodeStart - TimeSpan.FromSeconds(PreS) + TimeSpan.FromSeconds(0.5), $"clip starts {clip.StartTime:O}, episode {episodeStart:O}");
        Assert.True(clip.EndTime >= episodeStart + TimeSpan.FromSeconds(PostS) - TimeSpan.FromSeconds(1.5), $"clip ends {clip.EndTime:O}, episode {episodeStart:O}");
        var seconds = (clip.EndTime!.Value - clip.StartTime!.Value).TotalSeconds;
        Assert.InRange(seconds, PreS + PostS - 1.5, PreS + PostS + 2 * SegmentS + 1.5);
        Assert.Equal(960, clip.Width);
        Assert.Equal(540, clip.Height);

        // Central asks for it: the blob on the evidence topic (correlation = command id), then a "sent" reply with its reference.
        var (reply, blob) = await FetchAsync(clip.Id);
        Assert.Equal(CommandResult.Sent, reply.Result);
        var sent = Assert.Single(reply.Evidence);
        Assert.Equal(clip.Id, sent.Id);
        Assert.Equal(clip.Sha256, sent.Sha256);
        Assert.NotNull(blob);
        Assert.Equal(clip.Bytes, blob!.Payload.Length);
        Assert.Equal(clip.Sha256, Convert.ToHexStringLower(SHA256.HashData(blob.Payload)));
        Assert.Equal("video/mp4", blob.ContentType);

        // A playable MP4: H.264 as the camera sent it (stream copy), the duration the reference says.
        var file = Path.Combine(_dir, "fetched.mp4");
        File.WriteAllBytes(file, blob.Payload);
        var (code, output) = Tool.Exec("ffprobe", ["-v", "error", "-count_packets", "-show_entries", "stream=codec_name,width,height,nb_read_packets:format=duration", "-of", "json", file]);
        Assert.True(code == 0, output);
        var probe = JsonDocument.Parse(output).RootElement;
        var stream = probe.GetProperty("streams")[0];
        Assert.Equal("h264", stream.GetProperty("codec_name").GetString());
        Assert.Equal(960, stream.GetProperty("width").GetInt32());
        var duration = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(duration, seconds - 0.2, seconds + 0.2);
        Assert.InRange(int.Parse(stream.GetProperty("nb_read_packets").GetString()!), (int)(duration * 10) - 2, (int)(duration * 10) + 2);   // every frame at 10 fps: nothing dropped by -skip_frame
        Tool.Run("ffmpeg", "-v", "error", "-i", file, "-f", "null", "-");   // decodes without error

        // An unknown id: an error reply saying so, and nothing on the evidence topic.
        var (bad, badBlob) = await FetchAsync("00000000000000000000000000000000.clip");
        Assert.Equal(CommandResult.Error, bad.Result);
        Assert.Contains("not on this device", bad.Detail);
        Assert.Empty(bad.Evidence);
        Assert.Null(badBlob);

        // Health and /metrics report the ring within its bounds.
        var health = await _http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{_httpPort}/api/health");
        var recording = health.GetProperty("cameras")[0].GetProperty("recording");
        Assert.InRange(recording.GetProperty("seconds").GetDouble(), 1, 20 + SegmentS);
        Assert.True(recording.GetProperty("bytes").GetInt64() > 0);
        Assert.True(recording.GetProperty("clips_made").GetInt64() >= 1);
        var metrics = await _http.GetStringAsync($"http://127.0.0.1:{_httpPort}/metrics");
        Assert.Contains("edgeai_recording_bytes{camera=\"plaza\"}", metrics);
        Assert.DoesNotContain("for writing", _worker.Output);   // the segment muxer's per-segment lines stay out of the log
    }

    [Fact]
    public async Task Episode_DeliveryBlurred_BlurredClipAttachedOriginalStaysOnDevice()
    {
        StartWorker("blurred");
        await _central.WaitForAsync(c => c.Arrivals.Any(e => e.Evidence.Any(r => r.Kind == EvidenceKinds.Clip && r.Blurred == true)), Patience,
            "an event with a blurred clip");
        var started = _central.Arrivals.First(e => e.Type == EventType.Started);
        var carrier = _central.Arrivals.First(e => e.Evidence.Any(r => r.Kind == EvidenceKinds.Clip && r.Blurred == true));
        Assert.Equal(started.EpisodeId, carrier.EpisodeId);
        Assert.True(carrier.Sequence > started.Sequence);
        var blurred = carrier.Evidence.Single(r => r.Blurred == true);
        var original = carrier.Evidence.Single(r => r.Kind == EvidenceKinds.Clip && r.Blurred == false);
        Assert.Equal(EvidenceDelivery.Attached, blurred.Delivery);
        Assert.Equal(EvidenceDelivery.OnDevice, original.Delivery);
        Assert.Equal(640, blurred.Width);
        Assert.Equal(360, blurred.Height);

        // The blurred clip arrives on the evidence topic with the event (correlation data = event id); the original does not.
        MqttMessage? blob = null;
        await Eventually.UntilAsync(() => (blob = _central.Other.FirstOrDefault(m => m.Topic == Topics.Evidence(Device, blurred.Id))) is not null,
            TimeSpan.FromSeconds(30), () => "blurred clip blob not received");
        Assert.Equal(blurred.Sha256, Convert.ToHexStringLower(SHA256.HashData(blob!.Payload)));
        Assert.Equal(UuidV7.ToBytes(carrier.EventId), blob.CorrelationData);
        Assert.DoesNotContain(_central.Other, m => m.Topic == Topics.Evidence(Device, original.Id));

        // Persons are blurred: inside the started event's person boxes the blurred clip has far less detail (Laplacian
        // variance) than the original scaled to the same size, at the same moment.
        var (_, fetched) = await FetchAsync(original.Id);
        var blurredFile = Path.Combine(_dir, "blurred.mp4");
        var originalFile = Path.Combine(_dir, "original.mp4");
        File.WriteAllBytes(blurredFile, blob.Payload);
        File.WriteAllBytes(originalFile, fetched!.Payload);
        var at = (started.Frame.Time - original.StartTime!.Value).TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        var blurredFrame = FrameAt(blurredFile, at);
        var originalFrame = FrameAt(originalFile, at);
        var persons = started.Objects.Where(o => o.Class == "person").ToList();
        Assert.NotEmpty(persons);
        var sharper = persons.Count(p => Detail(originalFrame, p.Box) > 2 * Detail(blurredFrame, p.Box));
        log.WriteLine($"blurred clip {blurred.Bytes} bytes vs original {original.Bytes}; {sharper}/{persons.Count} person boxes at least 2x less detailed");
        Assert.True(sharper >= persons.Count * 0.8, $"only {sharper} of {persons.Count} person boxes are blurred");
    }

    /// <summary>One 640×360 gray frame at <paramref name="seconds"/> into the clip.</summary>
    private OpenCvSharp.Mat FrameAt(string file, string seconds)
    {
        var png = Path.ChangeExtension(file, ".png");
        Tool.Run("ffmpeg", "-v", "error", "-y", "-ss", seconds, "-i", file, "-frames:v", "1", "-vf", "scale=640:360", png);
        return OpenCvSharp.Cv2.ImRead(png, OpenCvSharp.ImreadModes.Grayscale);
    }

    /// <summary>Laplacian variance inside a normalised box (shrunk to its inner half, where a person is).</summary>
    private static double Detail(OpenCvSharp.Mat gray, IReadOnlyList<double> box)
    {
        double w = box[2] - box[0], h = box[3] - box[1];
        var x = Math.Clamp((int)((box[0] + w / 4) * gray.Width), 0, gray.Width - 3);
        var y = Math.Clamp((int)((box[1] + h / 4) * gray.Height), 0, gray.Height - 3);
        var rect = new OpenCvSharp.Rect(x, y, Math.Clamp((int)(w / 2 * gray.Width), 3, gray.Width - x), Math.Clamp((int)(h / 2 * gray.Height), 3, gray.Height - y));
        using var region = new OpenCvSharp.Mat(gray, rect);
        using var lap = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Laplacian(region, lap, OpenCvSharp.MatType.CV_64F);
        OpenCvSharp.Cv2.MeanStdDev(lap, out _, out var std);
        return std.Val0 * std.Val0;
    }

    private async Task<(CommandReply Reply, MqttMessage? Blob)> FetchAsync(string evidenceId)
    {
        var command = new DeviceCommand(UuidV7.New(), DeviceCommandTypes.FetchEvidence, "plaza", null, null, null, DateTimeOffset.UtcNow) { EvidenceId = evidenceId };
        var correlation = UuidV7.ToBytes(command.CommandId);
        await _central.Client.PublishAsync(Topics.Commands(Device), JsonSerializer.SerializeToUtf8Bytes(command, EdgeAiJsonContext.Default.DeviceCommand), qos: 1);
        CommandReply? reply = null;
        await Eventually.UntilAsync(() =>
        {
            foreach (var m in _central.Other.Where(m => m.Topic == Topics.Replies(Device)))
            {
                var r = JsonSerializer.Deserialize(m.Payload, EdgeAiJsonContext.Default.CommandReply)!;
                if (r.CommandId == command.CommandId) reply = r;
            }
            return reply is not null;
        }, TimeSpan.FromSeconds(60), () => $"no reply to {command.CommandId}\n{_worker.Output}");
        var blob = _central.Other.FirstOrDefault(m => m.Topic.StartsWith(Topics.Evidence(Device, ""), StringComparison.Ordinal)
            && m.CorrelationData is { } c && c.AsSpan().SequenceEqual(correlation));
        return (reply!, blob);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _worker.DisposeAsync();
        await _central.DisposeAsync();
        await _cameras.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
