using System.Diagnostics;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Cli;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Recording;
using EdgeAi.Worker.Tests.Delivery;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Tests.Recording;

/// <summary>
/// <see cref="ClipService"/> with its real parts: a live RTSP camera recorded by a real ffmpeg into a <see cref="SegmentRing"/>,
/// real clip cutting (and blurring), and the real SQLite outbox as the sink. The event order Central relies on, and the
/// outbox rules for an attached clip: it is shed before any event, and no event waits for it.
/// </summary>
public sealed class ClipServiceTests : IAsyncLifetime
{
    private readonly string _dir = TestPaths.NewTempDir("clipsvc");
    private readonly CapturingLoggerProvider _logs = new();
    private RtspCameraServer _camera = null!;
    private Process? _ffmpeg;

    public async Task InitializeAsync() =>
        _camera = await RtspCameraServer.StartNewAsync("cam", Clips.TestPattern(640, 360, fps: 25, seconds: 4, gop: 25));

    private EventOutbox Outbox(long maxBytes) => EventOutbox.Open(new OutboxOptions { Path = Path.Combine(_dir, "outbox.db"), MaxBytes = maxBytes },
        _logs.CreateFactory().CreateLogger<EventOutbox>());

    /// <summary>Starts recording the camera into the service's ring (what the worker's ffmpeg does as its second output).</summary>
    private async Task RecordAsync(ClipService clips)
    {
        var ring = clips.RingFor(new CameraConfig { Id = "cam", Url = _camera.Url("cam"), Record = true })!;
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", _camera.Url("cam") }) psi.ArgumentList.Add(a);
        foreach (var a in ring.OutputArguments()) psi.ArgumentList.Add(a);
        _ffmpeg = Process.Start(psi)!;
        _ = _ffmpeg.StandardError.ReadToEndAsync();
        // Enough pre-roll recorded before the episode starts.
        await Eventually.UntilAsync(() => ring.Seconds >= 3, TimeSpan.FromSeconds(60), () => $"ring holds {ring.Seconds} s");
    }

    private static EdgeEvent Event(EdgeEvent template, EventType type, Guid episode, DateTimeOffset at) => template with
    {
        EventId = Guid.CreateVersion7(at),
        EpisodeId = episode,
        Type = type,
        Camera = template.Camera with { Id = "cam" },
        Frame = template.Frame with { Time = at },
        DetectionTime = at,
        Evidence = [],
    };

    [Fact]
    public async Task EpisodeEndsBeforeClip_EndedHeldThenCarriesClip_NoUpdatedAfterEnded()
    {
        await using var outbox = Outbox(1L << 30);
        var options = new RecordingOptions { Directory = Path.Combine(_dir, "rec"), SegmentLength = TimeSpan.FromSeconds(1), ClipPreRoll = TimeSpan.FromSeconds(2), ClipPostRoll = TimeSpan.FromSeconds(3) };
        await using var clips = new ClipService(options, new OutboxSink(outbox), _logs.CreateFactory());
        await RecordAsync(clips);
        var template = new SyntheticEvents("edge-01").Next().Event;
        var episode = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        var started = await outbox.EnqueueAsync(Event(template, EventType.Started, episode, now), []);
        clips.EpisodeStarted(started with { Sequence = 0 });
        var ended = Event(template, EventType.Ended, episode, now + TimeSpan.FromSeconds(1));
        Assert.True(clips.TryHoldEnded(ended, []), "the ended event is held while its clip is pending");
        Assert.Equal(1, outbox.Depth.Events);

        await Eventually.UntilAsync(() => outbox.Depth.Events == 2, TimeSpan.FromSeconds(60), () => string.Join("\n", _logs.Lines));
        var rows = await outbox.PeekBatchAsync(0, 10);
        var second = System.Text.Json.JsonSerializer.Deserialize(rows[1].Payload, EdgeAiJsonContext.Default.EdgeEvent)!;
        Assert.Equal(EventType.Ended, second.Type);
        var clip = Assert.Single(second.Evidence);
        Assert.Equal(EvidenceKinds.Clip, clip.Kind);
        Assert.Equal(EvidenceDelivery.OnDevice, clip.Delivery);
        Assert.True(clip.StartTime <= now && clip.EndTime >= now + TimeSpan.FromSeconds(2), $"{clip.StartTime:O}..{clip.EndTime:O} vs {now:O}");
        Assert.Empty(rows[1].Evidence);   // on-device: no blob in the outbox
        Assert.False(clips.TryHoldEnded(ended, []), "nothing pending any more");
    }

    [Fact]
    public async Task BlurredClipOverBudget_ShedBeforeAnyEvent_EventsNotDelayed()
    {
        // Room for the events, not for the attached clip.
        await using var outbox = Outbox(16 * 1024);
        var options = new RecordingOptions { Directory = Path.Combine(_dir, "rec"), SegmentLength = TimeSpan.FromSeconds(1), ClipPreRoll = TimeSpan.FromSeconds(2), ClipPostRoll = TimeSpan.FromSeconds(3), Delivery = ClipDelivery.Blurred };
        var manifest = ModelManifestLoader.Load(TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json"));
        await using var clips = new ClipService(options, new OutboxSink(outbox), _logs.CreateFactory(),
            blurrer: new ClipBlurrer(manifest, null, _logs.CreateFactory().CreateLogger<OnnxDetector>()));
        await RecordAsync(clips);
        var template = new SyntheticEvents("edge-01").Next().Event;
        var episode = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        var started = await outbox.EnqueueAsync(Event(template, EventType.Started, episode, now), []);
        clips.EpisodeStarted(started with { Sequence = 0 });
        // Other events of the camera keep going into the outbox at once while the clip is being made.
        var watch = Stopwatch.StartNew();
        var other = await outbox.EnqueueAsync(Event(template, EventType.Updated, episode, now + TimeSpan.FromSeconds(1)), []);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"an event waited {watch.Elapsed.TotalSeconds:0.0} s");

        await Eventually.UntilAsync(() => outbox.Depth.Events == 3, TimeSpan.FromSeconds(90), () => string.Join("\n", _logs.Lines));
        var depth = outbox.Depth;
        Assert.Equal(0, depth.ShedEvents);
        Assert.True(depth.ShedEvidence >= 1, "the attached clip was not shed");
        var rows = await outbox.PeekBatchAsync(0, 10);
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Sequence));
        var carrier = System.Text.Json.JsonSerializer.Deserialize(rows[2].Payload, EdgeAiJsonContext.Default.EdgeEvent)!;
        Assert.Equal(EventType.Updated, carrier.Type);
        var blurred = carrier.Evidence.Single(r => r.Blurred == true);
        Assert.Equal(EvidenceDelivery.Attached, blurred.Delivery);
        Assert.Contains(carrier.Evidence, r => r.Delivery == EvidenceDelivery.OnDevice);
        Assert.Empty(rows[2].Evidence);   // its blob was shed; the reference stays, the event arrives
        Assert.Equal(other.Sequence, rows[1].Sequence);
    }

    public async Task DisposeAsync()
    {
        if (_ffmpeg is not null)
        {
            try { _ffmpeg.Kill(); } catch (InvalidOperationException) { }
            await _ffmpeg.WaitForExitAsync();
            _ffmpeg.Dispose();
        }
        await _camera.DisposeAsync();
        _logs.Dispose();
    }
}
