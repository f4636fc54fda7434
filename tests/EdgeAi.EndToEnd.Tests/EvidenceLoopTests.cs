using System.Security.Cryptography;
using System.Text.Json;
using EdgeAi.Testing;
using Xunit.Abstractions;

namespace EdgeAi.EndToEnd.Tests;

/// <summary>
/// Evidence across the whole system (issue 16): the real worker records the demo crowding camera and cuts a clip when
/// an episode starts; the clip stays on the gateway and Central lists it with a fetch link; an authorised request makes
/// Central send <c>fetch_evidence</c>, the worker publishes the MP4, Central stores it and serves it (Range). Snapshots
/// are at the camera's own resolution (the clip's). Measured on the way: episode start → clip reference at Central, and
/// request → clip playable.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class EvidenceLoopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task RecordedCamera_ClipStaysOnGateway_AuthorisedFetchServesIt_SnapshotsAtSourceResolution()
    {
        await using var system = await EdgeSystem.StartAsync();

        // The crowding incident's evidence comes to list a clip (on an updated event, or the held ended event).
        JsonElement incident = default, clip = default;
        await Eventually.UntilAsync(async () =>
        {
            foreach (var i in (await system.GetAsync("incidents?scenario=crowding&limit=100")).EnumerateArray())
            {
                incident = await system.GetAsync($"incidents/{i.GetProperty("incident_id").GetString()}");
                clip = incident.GetProperty("evidence").EnumerateArray().FirstOrDefault(e => e.GetProperty("kind").GetString() == "clip");
                if (clip.ValueKind == JsonValueKind.Object) return true;
            }
            return false;
        }, Long, () => $"no clip listed for a crowding incident\n{system.Describe()}");

        Assert.Equal("on_device", clip.GetProperty("delivery").GetString());
        Assert.False(clip.GetProperty("blurred").GetBoolean());
        Assert.False(clip.GetProperty("stored").GetBoolean());
        Assert.Equal("video/mp4", clip.GetProperty("content_type").GetString());
        var clipId = clip.GetProperty("evidence_id").GetString()!;
        Assert.Equal($"/api/v1/evidence/{clipId}/fetch", clip.GetProperty("fetch_url").GetString());
        var (width, height) = (clip.GetProperty("width").GetInt32(), clip.GetProperty("height").GetInt32());

        // Snapshots of the same camera are at the camera's resolution, which the stream-copied clip has too.
        var snapshots = incident.GetProperty("evidence").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "snapshot").ToList();
        Assert.NotEmpty(snapshots);
        Assert.All(snapshots, s => Assert.Equal((width, height), (s.GetProperty("width").GetInt32(), s.GetProperty("height").GetInt32())));

        // Episode start → the clip's reference at Central: the started event's detection time to the arrival of the event carrying the clip.
        var events = (await system.GetAsync($"events?incident_id={incident.GetProperty("incident").GetProperty("incident_id").GetString()}&limit=1000")).EnumerateArray().ToList();
        var carrier = events.Single(e => e.GetProperty("event_id").GetString() == clip.GetProperty("event_id").GetString());
        var started = events.Single(e => e.GetProperty("episode_id").GetString() == carrier.GetProperty("episode_id").GetString() && e.GetProperty("type").GetString() == "started");
        var toCentral = carrier.GetProperty("received_at").GetDateTimeOffset() - started.GetProperty("detection_time").GetDateTimeOffset();
        output.WriteLine($"clip {clipId}: {clip.GetProperty("bytes").GetInt64()} bytes, {width}x{height}, on {carrier.GetProperty("type").GetString()} event; " +
                         $"episode start → clip reference at Central {toCentral.TotalSeconds:0.0} s (clip_pre_s 5, clip_post_s 10)");

        // Not stored yet: the blob is on the gateway.
        using (var before = await system.Api.GetAsync($"/api/v1/evidence/{clipId}"))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, before.StatusCode);

        // The demo's API token may see unblurred evidence (demo_config.py); the request goes to the gateway and back.
        var requested = System.Diagnostics.Stopwatch.StartNew();
        using (var fetch = await system.Api.PostAsync($"/api/v1/evidence/{clipId}/fetch", null))
            Assert.True(fetch.IsSuccessStatusCode, $"{(int)fetch.StatusCode} {await fetch.Content.ReadAsStringAsync()}\n{system.Describe()}");
        using var response = await system.Api.GetAsync($"/api/v1/evidence/{clipId}");
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var playable = requested.Elapsed;
        output.WriteLine($"authorised request → clip playable at Central: {playable.TotalMilliseconds:0} ms");

        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(clip.GetProperty("bytes").GetInt64(), bytes.LongLength);
        Assert.Equal(clip.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        // A real, playable H.264 MP4 at the camera's resolution.
        var file = Path.Combine(TestPaths.NewTempDir("edgeai-clip"), "clip.mp4");
        await File.WriteAllBytesAsync(file, bytes);
        var (code, probe) = Tool.Exec("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height:format=duration", "-of", "json", file]);
        Assert.True(code == 0, probe);
        var probed = JsonDocument.Parse(probe).RootElement;
        var stream = probed.GetProperty("streams")[0];
        Assert.Equal(("h264", width, height), (stream.GetProperty("codec_name").GetString(), stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32()));
        Assert.True(double.Parse(probed.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 10,
            $"clip shorter than pre + post: {probe}");

        // Seeking works (Range), and the view was audited.
        using (var range = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/evidence/{clipId}"))
        {
            range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
            using var partial = await system.Api.SendAsync(range);
            Assert.Equal(System.Net.HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(bytes[100..200], await partial.Content.ReadAsByteArrayAsync());
        }
        var audit = (await system.GetAsync($"evidence-access?evidence_id={clipId}")).EnumerateArray().ToList();
        Assert.Contains(audit, a => a.GetProperty("allowed").GetBoolean());
    }
}
