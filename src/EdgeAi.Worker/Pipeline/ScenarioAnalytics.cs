using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using OpenCVException = OpenCvSharp.OpenCVException;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// The per-camera analytics stage: tracker → zone rules → episode events; for started/ended events the
/// evidence (annotated snapshot + crop, persons blurred where configured) is cut from the frame — its full-resolution
/// picture when the ingest wrote one (<see cref="Frame.FullResolutionPath"/>), else the model-input frame (logged once);
/// each event is mapped to the wire contract and handed to the sink (the outbox). Runs on the camera's own loop, so it
/// keeps tracker and rule state without locks; a verification (<see cref="VerifyAsync"/>) is queued to that loop and
/// answered from the frame it waits for.
/// </summary>
internal sealed partial class ScenarioAnalytics : ICameraAnalytics
{
    public const string SchemaVersion = EdgeEventSchema.CurrentVersion;

    private readonly string _deviceId;
    private readonly CameraInfo _camera;
    private readonly ModelInfo _model;
    private readonly ObjectTracker _tracker;
    private readonly ScenarioEngine _engine;
    private readonly EvidenceRecorder _evidence;
    private readonly IEventSink _sink;
    private readonly Recording.ClipService? _clips;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<Verification> _verifications = new();
    private bool _fallbackLogged;

    /// <param name="clips">Event clips of recording cameras (held ended events, the clip job per started episode); null: none.</param>
    public ScenarioAnalytics(string deviceId, CameraConfig camera, ScenarioConfig scenarios, ModelInfo model,
        EvidenceStore store, EvidenceOptions? evidenceOptions, IEventSink sink, TrackerOptions? tracker = null, ILogger<ScenarioAnalytics>? logger = null,
        Recording.ClipService? clips = null)
    {
        _clips = clips;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _deviceId = deviceId;
        _camera = new CameraInfo(camera.Id, camera.Name.Length > 0 ? camera.Name : camera.Id, camera.Location.Lat, camera.Location.Lon, camera.Location.Gb28181Id);
        _model = model;
        _tracker = new ObjectTracker(tracker);
        _engine = new ScenarioEngine(camera.Id, scenarios);
        _evidence = new EvidenceRecorder(store, evidenceOptions);
        _sink = sink;
    }

    /// <summary>Frames this camera's rules have seen (read by verification from another thread).</summary>
    public long FramesProcessed => Interlocked.Read(ref _framesProcessed);

    /// <summary>The camera's rules; <see cref="ZoneRule.IsActive"/> says whether a condition holds right now.</summary>
    internal IReadOnlyList<Scenarios.ZoneRule> Rules => _engine.Rules;

    private long _framesProcessed;
    private DateTimeOffset _lastCaptureTime = DateTimeOffset.MinValue;   // the engine's clock: the last frame's capture time

    public async ValueTask ProcessAsync(AnalysedFrame analysed, CancellationToken ct)
    {
        var frame = analysed.Frame;
        try
        {
            var detections = analysed.Detections as Detection.Detection[] ?? analysed.Detections.ToArray();
            _lastCaptureTime = frame.CaptureTime;
            var tracked = _tracker.Update(detections, frame.CaptureTime);
            var result = _engine.Process(frame.CaptureTime, frame.SourceWidth, frame.SourceHeight, tracked);
            var processed = Interlocked.Increment(ref _framesProcessed);
            var picture = new FramePicture(frame);
            if (!_verifications.IsEmpty) AnswerVerifications(processed, ref picture, tracked);
            if (result.Events.Count == 0) return;

            foreach (var episode in result.Events)
            {
                IReadOnlyList<EvidenceBlob> evidence = [];
                if (episode.WantsEvidence)
                    evidence = _evidence.Store(EvidenceRecorder.Stem(episode), Render(ref picture, episode.Zone, episode.Objects, episode.PrivacyBlur, tracked));
                await EmitAsync(episode, evidence, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            frame.Release();
        }
    }

    /// <summary>The analysed frame's pictures, each read or converted at most once per frame.</summary>
    private struct FramePicture(Frame frame)
    {
        public readonly Frame Frame = frame;
        public byte[]? Full;
        public byte[]? Rgb;
        public string? FullMissing;
    }

    /// <summary>
    /// Draws the frame's evidence: on its full-resolution picture (the same instant, at the camera's own size) when there is
    /// one, else on the model-input frame — the fallback logged once per camera, the reference's width/height saying which.
    /// </summary>
    private EvidenceImages Render(ref FramePicture picture, Zone zone, IReadOnlyList<TrackedObject> objects, bool blur, IReadOnlyList<TrackedObject> tracked)
    {
        var frame = picture.Frame;
        if (picture.Full is null && picture.FullMissing is null && frame.FullResolutionPath is { } path)
        {
            try
            {
                picture.Full = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                picture.FullMissing = ex is FileNotFoundException ? "the frame's full-resolution file is gone (the frame waited too long)" : ex.Message;
            }
        }
        if (picture.Full is { } jpeg)
        {
            try
            {
                return _evidence.Renderer.RenderJpeg(jpeg, zone, objects, blur, tracked);
            }
            catch (Exception ex) when (ex is ArgumentException or OpenCVException)
            {
                picture.Full = null;
                picture.FullMissing = ex.Message;
            }
        }
        var g = frame.Geometry;
        if (!_fallbackLogged && frame.FullResolutionPath is not null)
        {
            _fallbackLogged = true;
            LogFallback(_camera.Id, picture.FullMissing ?? "unknown", g.ContentWidth, g.ContentHeight, frame.SourceWidth, frame.SourceHeight);
        }
        picture.Rgb ??= FramePixels.ContentToRgb(frame.Data.Span, g);
        return _evidence.Renderer.Render(picture.Rgb, g.ContentWidth, g.ContentHeight, zone, objects, blur, tracked);
    }

    /// <summary>
    /// Queues a verification of <paramref name="rule"/> to this camera's loop: answered on the
    /// <paramref name="freshFrames"/>-th frame analysed from now (so the answer describes the scene after the request),
    /// with the rule's state on that frame, the after-photo drawn on that same frame (kind <c>after</c>, stored as
    /// <c>{evidenceId}</c>) and <paramref name="flagsNow"/> read while that frame is in hand (the quality diagnosis of the
    /// same frame). Faults with <see cref="OperationCanceledException"/> when the camera's analytics complete first.
    /// </summary>
    public Task<VerificationFrame> VerifyAsync(ZoneRule rule, string evidenceId, int freshFrames, Func<IReadOnlyList<string>>? flagsNow = null)
    {
        var v = new Verification(rule, evidenceId, FramesProcessed + freshFrames, flagsNow, new TaskCompletionSource<VerificationFrame>(TaskCreationOptions.RunContinuationsAsynchronously));
        _verifications.Enqueue(v);
        if (_completed) v.Done.TrySetCanceled();
        return v.Done.Task;
    }

    private void AnswerVerifications(long processed, ref FramePicture picture, IReadOnlyList<TrackedObject> tracked)
    {
        var count = _verifications.Count;
        for (var i = 0; i < count && _verifications.TryDequeue(out var v); i++)
        {
            if (processed < v.AfterFrames)
            {
                _verifications.Enqueue(v);   // not yet: back in the queue
                continue;
            }
            try
            {
                var active = v.Rule.IsActive;
                var flags = v.FlagsNow?.Invoke() ?? [];
                var started = Stopwatch.GetTimestamp();
                var images = Render(ref picture, v.Rule.Zone, active ? [.. v.Rule.InvolvedNow] : [], v.Rule.Config.PrivacyBlur, tracked);
                var evidence = _evidence.Store(v.EvidenceId, images, EvidenceKinds.After);
                LogAfterPhoto(_camera.Id, v.EvidenceId, images.Width, images.Height, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                v.Done.TrySetResult(new VerificationFrame(active, flags, evidence, picture.Frame.CaptureTime));
            }
            catch (Exception ex)
            {
                v.Done.TrySetException(ex);
            }
        }
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        // Drain: end every open episode so the centre sees a closed episode, not one that silently stops. Frame capture
        // time is the engine's clock (a clip analysed in file mode runs on its own clock), so the episodes end at the last frame.
        var result = _engine.EndAll(_lastCaptureTime);
        foreach (var episode in result.Events) await EmitAsync(episode, [], ct).ConfigureAwait(false);
        if (_clips is not null) await _clips.FlushAsync(_camera.Id).ConfigureAwait(false);   // held ended events go out now
        _completed = true;
        while (_verifications.TryDequeue(out var v)) v.Done.TrySetCanceled();
        _evidence.Dispose();
    }

    private volatile bool _completed;

    private sealed record Verification(ZoneRule Rule, string EvidenceId, long AfterFrames, Func<IReadOnlyList<string>>? FlagsNow, TaskCompletionSource<VerificationFrame> Done);

    [LoggerMessage(EventId = 330, Level = LogLevel.Warning,
        Message = "Camera {CameraId}: evidence drawn on the model-input frame ({Width}x{Height}), not the camera's {SourceWidth}x{SourceHeight}: {Reason} (logged once)")]
    private partial void LogFallback(string cameraId, string reason, int width, int height, int sourceWidth, int sourceHeight);

    [LoggerMessage(EventId = 331, Level = LogLevel.Debug, Message = "Camera {CameraId}: after-photo {EvidenceId} {Width}x{Height} in {Ms:0.0} ms")]
    private partial void LogAfterPhoto(string cameraId, string evidenceId, int width, int height, double ms);

    private async ValueTask EmitAsync(EpisodeEvent episode, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct)
    {
        var evt = episode.ToEdgeEvent(SchemaVersion, _deviceId, _camera, _model, evidence.Select(b => b.Ref).ToList());
        // Event clips (Recording/ClipService): an ended event whose clip is still being cut is emitted with it once ready.
        if (episode.Type == EventType.Ended && _clips?.TryHoldEnded(evt, evidence) == true) return;
        await _sink.EmitAsync(evt, evidence, ct).ConfigureAwait(false);
        if (episode.Type == EventType.Started) _clips?.EpisodeStarted(evt);
    }
}

/// <summary>What a verification found on one analysed frame.</summary>
/// <param name="Active">The rule's condition holds (an episode is running) on that frame.</param>
/// <param name="QualityFlags">The camera's video quality flags on that frame (empty when fine or not diagnosed).</param>
/// <param name="Evidence">The after-photo (kind <c>after</c>) and its crop when objects are still there.</param>
/// <param name="FrameTime">Capture time of the frame.</param>
internal sealed record VerificationFrame(bool Active, IReadOnlyList<string> QualityFlags, IReadOnlyList<EvidenceBlob> Evidence, DateTimeOffset FrameTime);
