using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Publishing;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Recording;

/// <summary>
/// Event clips: owns the recording ring of each camera with <c>record: true</c>, cuts a clip from
/// <see cref="RecordingOptions.ClipPreRoll"/> before to <see cref="RecordingOptions.ClipPostRoll"/> after each episode start, keeps
/// it on the box (<see cref="ClipStore"/>) and publishes its reference on an event of the same episode; answers Central's
/// <c>fetch_evidence</c> command with the clip itself.
/// </summary>
/// <remarks>
/// <para>Which event carries the clip: an <c>updated</c> event of the episode, published as soon as the clip is ready (outside
/// the rules' update rate limit), repeating the started event's observation (frame, objects, detection time) with the clip
/// as its only evidence. If the episode ends first, its <c>ended</c> event is held (with its own evidence) until the clip is
/// ready and then carries the clip as well — never an <c>updated</c> after <c>ended</c>, which Central would read as the
/// episode still being active. The <c>started</c> event never waits; an <c>ended</c> waits at most the post-roll plus
/// <see cref="ReadyMargin"/> (the clip is then cut from what was recorded, or left out).</para>
/// <para>Delivery: the stream-copied clip shows passers-by as seen, so by default it stays on the box (delivery
/// <c>on_device</c>, blurred false). With <c>delivery: blurred</c> a re-encoded copy with persons blurred
/// (<see cref="ClipBlurrer"/>) is attached through the outbox (delivery <c>attached</c>, blurred true) and listed first; the
/// original stays on the box and is listed too (on_device), for Central to fetch when an authorised user asks. The outbox's
/// overflow policy sheds the attached clip like any evidence, before any event. A clip over the contract's 16 MiB is
/// shortened from its end (segments dropped) until it fits; a blurred copy over it is not attached (only the on-box
/// reference is listed).</para>
/// <para>Thread-safety: every member may be called from any thread; one task per pending clip.</para>
/// </remarks>
internal sealed partial class ClipService : IAsyncDisposable
{
    /// <summary>How long after its post-roll a clip waits for the segment that covers it (the segment closes at the next key frame).</summary>
    public static readonly TimeSpan ReadyMargin = TimeSpan.FromSeconds(15);

    /// <summary>Clips are kept under this many bytes (the contract's limit less a margin for the MP4 index).</summary>
    internal static readonly long MaxClipBytes = EdgeEventSchema.MaxEvidenceBytes - (256 << 10);

    private readonly RecordingOptions _options;
    private readonly IEventSink _sink;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lazy<ClipStore> _store;
    private readonly ConcurrentDictionary<string, SegmentRing> _rings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, Job> _jobs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ClipBlurrer? _blurrer;
    private long _made, _failed, _bytes;
    private double _lastReadyS = double.NaN;

    public ClipService(RecordingOptions options, IEventSink sink, ILoggerFactory loggers, TimeProvider? time = null, ClipBlurrer? blurrer = null)
    {
        _blurrer = blurrer;
        _options = options;
        _sink = sink;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ClipService>();
        _time = time ?? TimeProvider.System;
        _store = new Lazy<ClipStore>(() => new ClipStore(Path.Combine(options.Directory, "clips"), options.ClipStoreMaxBytes,
            options.ClipStoreMaxAge, _time));
    }

    public RecordingOptions Options => _options;

    /// <summary>The on-box clips (created on first use).</summary>
    public ClipStore Store => _store.Value;

    /// <summary>Clips cut and stored since start.</summary>
    public long ClipsMade => Interlocked.Read(ref _made);

    /// <summary>Clips that could not be made (no segments, ffmpeg failed).</summary>
    public long ClipsFailed => Interlocked.Read(ref _failed);

    /// <summary>Bytes of the clips made since start.</summary>
    public long ClipBytes => Interlocked.Read(ref _bytes);

    /// <summary>Seconds from the last clip's episode start (detection time) to its event being in the outbox; NaN before the first.</summary>
    public double LastReadySeconds => Volatile.Read(ref _lastReadyS);

    /// <summary>The camera's ring when it records (created once per camera id; kept across reconnects and reloads), else null
    /// (a reload that turns recording off stops the ring).</summary>
    public SegmentRing? RingFor(CameraConfig camera)
    {
        if (camera.Record) return _rings.GetOrAdd(camera.Id, id => new SegmentRing(id, _options, _loggers.CreateLogger<SegmentRing>(), _time));
        if (_rings.TryRemove(camera.Id, out var old)) old.Dispose();
        return null;
    }

    /// <summary>True when the camera records (its started events get a clip).</summary>
    public bool Records(string cameraId) => _rings.ContainsKey(cameraId);

    /// <summary>An episode started on a recording camera (the event is already in the outbox): its clip is cut when the post-roll is recorded.</summary>
    public void EpisodeStarted(EdgeEvent started)
    {
        if (!_rings.TryGetValue(started.Camera.Id, out var ring) || _stop.IsCancellationRequested) return;
        var job = new Job(started, ring, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        if (!_jobs.TryAdd(started.EpisodeId, job)) return;
        job.Task = Task.Run(() => RunAsync(job));
    }

    /// <summary>
    /// The episode ended: when its clip is still being made, the clip task takes the ended event over and emits it (with the
    /// clip) once the clip is ready; returns false when there is no pending clip and the caller emits the event itself.
    /// </summary>
    public bool TryHoldEnded(EdgeEvent ended, IReadOnlyList<EvidenceBlob> evidence)
    {
        if (!_jobs.TryGetValue(ended.EpisodeId, out var job)) return false;
        lock (job)
        {
            if (job.Emitted) return false;
            job.Ended = (ended, evidence);
            return true;
        }
    }

    /// <summary>The camera stops (drain or reload): pending clips of its episodes are cut from what was recorded now, and any held ended event is emitted.</summary>
    public async Task FlushAsync(string cameraId)
    {
        var pending = _jobs.Values.Where(j => j.Started.Camera.Id == cameraId).ToList();
        foreach (var j in pending) await j.Cancel.CancelAsync().ConfigureAwait(false);
        foreach (var j in pending) await (j.Task ?? Task.CompletedTask).ConfigureAwait(false);
    }

    private async Task RunAsync(Job job)
    {
        var started = job.Started;
        var episodeStart = started.Frame.Time;
        var from = episodeStart - _options.ClipPreRoll;
        var to = episodeStart + _options.ClipPostRoll;
        IReadOnlyList<EvidenceRef>? clip = null;
        EvidenceBlob? attached = null;
        try
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(job.Cancel.Token))
            {
                wait.CancelAfter(Max(TimeSpan.Zero, to - _time.GetUtcNow()) + ReadyMargin);
                try { await job.Ring.WaitForAsync(to, wait.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { LogClipEarly(started.Camera.Id, started.EpisodeId); }
            }
            job.Ring.Poll();   // a flush at shutdown: index the segment ffmpeg closed on its way out
            (clip, attached) = await CutAsync(job, from, to).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ClipException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        {
            Interlocked.Increment(ref _failed);
            LogClipFailed(started.Camera.Id, started.EpisodeId, ex.Message);
        }

        (EdgeEvent Event, IReadOnlyList<EvidenceBlob> Evidence)? ended;
        lock (job)
        {
            job.Emitted = true;
            ended = job.Ended;
        }
        try
        {
            if (ended is { } e)
            {
                var evt = clip is null ? e.Event : e.Event with { Evidence = [.. e.Event.Evidence, .. clip] };
                await _sink.EmitAsync(evt, attached is null ? e.Evidence : [.. e.Evidence, attached], CancellationToken.None).ConfigureAwait(false);
            }
            else if (clip is not null)
            {
                var updated = started with
                {
                    EventId = Guid.CreateVersion7(_time.GetUtcNow()),
                    Type = EventType.Updated,
                    Sequence = 0,
                    Evidence = clip,
                };
                await _sink.EmitAsync(updated, attached is null ? [] : [attached], CancellationToken.None).ConfigureAwait(false);
            }
            if (clip is not null)
            {
                var ready = (_time.GetUtcNow() - started.DetectionTime).TotalSeconds;
                Volatile.Write(ref _lastReadyS, ready);
                var first = clip[0];
                LogClipReady(started.Camera.Id, started.EpisodeId, first.Id, first.Bytes, (first.EndTime!.Value - first.StartTime!.Value).TotalSeconds,
                    ready, ended is null ? "updated" : "ended", first.Delivery == EvidenceDelivery.Attached ? "attached, blurred" : "on_device");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEmitFailed(ex, started.Camera.Id, started.EpisodeId);
        }
        finally
        {
            _jobs.TryRemove(started.EpisodeId, out _);
            job.Cancel.Dispose();
        }
    }

    /// <summary>Cuts the clip from the ring and stores it on the box; returns its reference (no attached blob: delivery on_device).</summary>
    private async Task<(IReadOnlyList<EvidenceRef> Clip, EvidenceBlob? Attached)> CutAsync(Job job, DateTimeOffset from, DateTimeOffset to)
    {
        var started = job.Started;
        var segments = job.Ring.Covering(from, to).ToList();
        // Over the contract's size: drop segments from the end (the episode start and pre-roll matter most).
        var total = segments.Sum(s => s.Bytes);
        while (segments.Count > 1 && total > MaxClipBytes)
        {
            total -= segments[^1].Bytes;
            segments.RemoveAt(segments.Count - 1);
        }
        if (segments.Count == 0) throw new ClipException($"no recorded video between {from:HH:mm:ss} and {to:HH:mm:ss}");
        var clipStart = segments[0].Start;
        var temp = Store.TempPath();
        try
        {
            var cut = await ClipCutter.CutAsync(segments, to - clipStart, temp, CancellationToken.None).ConfigureAwait(false);
            if (cut.Bytes > EdgeEventSchema.MaxEvidenceBytes) throw new ClipException($"clip of {cut.Bytes} bytes is over the contract's {EdgeEventSchema.MaxEvidenceBytes}");
            var id = $"{started.EpisodeId:N}.clip";
            byte[] sha;
            await using (var f = File.OpenRead(temp)) sha = await SHA256.HashDataAsync(f).ConfigureAwait(false);
            var onBox = new EvidenceRef(id, Convert.ToHexStringLower(sha), cut.Bytes, "video/mp4", EvidenceKinds.Clip)
            {
                Width = cut.Width,
                Height = cut.Height,
                StartTime = clipStart.ToUniversalTime(),
                EndTime = (clipStart + cut.Duration).ToUniversalTime(),
                Blurred = false,
                Delivery = EvidenceDelivery.OnDevice,
            };
            Store.Add(temp, onBox);
            Interlocked.Increment(ref _made);
            job.Ring.ClipMade();
            Interlocked.Add(ref _bytes, cut.Bytes);
            if (_options.Delivery != ClipDelivery.Blurred || _blurrer is null) return ([onBox], null);

            var blurredPath = Store.TempPath();
            try
            {
                var data = await _blurrer.BlurAsync(Path.Combine(Store.Folder, id + ".mp4"), blurredPath, _options, CancellationToken.None).ConfigureAwait(false);
                var probe = await ClipCutter.ProbeAsync(blurredPath, CancellationToken.None).ConfigureAwait(false);
                if (data.Length > EdgeEventSchema.MaxEvidenceBytes)
                {
                    LogBlurredTooLarge(started.Camera.Id, data.Length);
                    return ([onBox], null);
                }
                var blob = EvidenceBlob.Create($"{started.EpisodeId:N}.clipb", data, "video/mp4", EvidenceKinds.Clip);
                var reference = blob.Ref with
                {
                    Width = probe.Width,
                    Height = probe.Height,
                    StartTime = onBox.StartTime,
                    EndTime = onBox.StartTime + probe.Duration,
                    Blurred = true,
                    Delivery = EvidenceDelivery.Attached,
                };
                return ([reference, onBox], blob with { Ref = reference });
            }
            finally
            {
                if (File.Exists(blurredPath)) File.Delete(blurredPath);
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// <c>fetch_evidence</c>: the on-box clip named by the command's evidence id, published on the evidence topic (correlation
    /// data = command id) with the reply carrying its reference and result <c>sent</c>; an unknown or expired id is an error reply.
    /// </summary>
    public Task<CommandOutcome> FetchAsync(DeviceCommand command, CancellationToken ct)
    {
        if (command.Type != DeviceCommandTypes.FetchEvidence) return Task.FromResult(Error($"unknown command type '{command.Type}'"));
        if (string.IsNullOrEmpty(command.EvidenceId)) return Task.FromResult(Error("fetch_evidence needs an evidence_id"));
        var id = command.EvidenceId;
        if (!Evidence.EvidenceStore.IsValidId(id)) return Task.FromResult(Error($"'{Trim(id)}' is not a valid evidence id"));
        if (!Directory.Exists(Path.Combine(_options.Directory, "clips")) || !Store.TryRead(id, out var evidence, out var data))
            return Task.FromResult(Error($"evidence '{id}' is not on this device (unknown, or deleted after {_options.ClipStoreMaxAge.TotalHours:0.#} h or beyond {_options.ClipStoreMaxBytes} bytes)"));
        var sent = evidence with { Delivery = EvidenceDelivery.Attached };
        LogFetched(id, data.Length, command.CommandId);
        return Task.FromResult(new CommandOutcome(CommandResult.Sent, $"clip {id} ({data.Length} bytes) sent on the evidence topic", [new EvidenceBlob(sent, data)]));
    }

    private static string Trim(string s) => s.Length <= 64 ? s : s[..64] + "…";

    private static CommandOutcome Error(string detail) => new(CommandResult.Error, detail, []);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Pending clips are cut from what was recorded and their held events emitted; then the rings stop.</summary>
    public async ValueTask DisposeAsync()
    {
        var pending = _jobs.Values.ToList();
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var j in pending) await (j.Task ?? Task.CompletedTask).ConfigureAwait(false);
        foreach (var ring in _rings.Values) ring.Dispose();
        _blurrer?.Dispose();
        _stop.Dispose();
    }

    private sealed class Job(EdgeEvent started, SegmentRing ring, CancellationTokenSource cancel)
    {
        public EdgeEvent Started { get; } = started;
        public SegmentRing Ring { get; } = ring;
        public CancellationTokenSource Cancel { get; } = cancel;
        public Task? Task { get; set; }

        /// <summary>Guarded by the job's lock.</summary>
        public bool Emitted { get; set; }

        /// <summary>Guarded by the job's lock.</summary>
        public (EdgeEvent Event, IReadOnlyList<EvidenceBlob> Evidence)? Ended { get; set; }
    }

    [LoggerMessage(EventId = 281, Level = LogLevel.Information,
        Message = "Camera {CameraId}: clip {EvidenceId} of episode {EpisodeId} ready: {Bytes} bytes, {Seconds:0.0} s of video, {ReadySeconds:0.0} s after the episode start; on the {EventType} event, {Delivery}")]
    private partial void LogClipReady(string cameraId, Guid episodeId, string evidenceId, long bytes, double seconds, double readySeconds, string eventType, string delivery);

    [LoggerMessage(EventId = 282, Level = LogLevel.Warning, Message = "Camera {CameraId}: no clip for episode {EpisodeId}: {Reason}")]
    private partial void LogClipFailed(string cameraId, Guid episodeId, string reason);

    [LoggerMessage(EventId = 283, Level = LogLevel.Information, Message = "Camera {CameraId}: clip of episode {EpisodeId} cut before its post-roll was recorded (camera stopped or no video)")]
    private partial void LogClipEarly(string cameraId, Guid episodeId);

    [LoggerMessage(EventId = 284, Level = LogLevel.Error, Message = "Camera {CameraId}: the clip event of episode {EpisodeId} could not be stored")]
    private partial void LogEmitFailed(Exception ex, string cameraId, Guid episodeId);

    [LoggerMessage(EventId = 286, Level = LogLevel.Warning, Message = "Camera {CameraId}: blurred clip of {Bytes} bytes is over the contract's limit; only the on-box clip is referenced")]
    private partial void LogBlurredTooLarge(string cameraId, long bytes);

    [LoggerMessage(EventId = 285, Level = LogLevel.Information, Message = "Clip {EvidenceId} ({Bytes} bytes) sent for command {CommandId}")]
    private partial void LogFetched(string evidenceId, int bytes, Guid commandId);

}
