using EdgeAi.Models.Events;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// The per-camera analytics stage: tracker → zone rules → episode events; for started/ended events the
/// evidence (annotated snapshot + crop, persons blurred where configured) is cut from the frame; each event
/// is mapped to the wire contract and handed to the sink (the outbox). Runs on the camera's own loop, so it
/// keeps tracker and rule state without locks.
/// </summary>
internal sealed class ScenarioAnalytics : ICameraAnalytics
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

    public ScenarioAnalytics(string deviceId, CameraConfig camera, ScenarioConfig scenarios, ModelInfo model,
        EvidenceStore store, EvidenceOptions? evidenceOptions, IEventSink sink, TrackerOptions? tracker = null, Recording.ClipService? clips = null)
    {
        _clips = clips;
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
            Interlocked.Increment(ref _framesProcessed);
            if (result.Events.Count == 0) return;

            byte[]? rgb = null;
            foreach (var episode in result.Events)
            {
                IReadOnlyList<EvidenceBlob> evidence = [];
                if (episode.WantsEvidence)
                {
                    rgb ??= FramePixels.ContentToRgb(frame.Data.Span, frame.Geometry);
                    evidence = _evidence.Capture(rgb, frame.Geometry.ContentWidth, frame.Geometry.ContentHeight, episode, tracked);
                }
                await EmitAsync(episode, evidence, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            frame.Release();
        }
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        // Drain: end every open episode so the centre sees a closed episode, not one that silently stops. Frame capture
        // time is the engine's clock (a clip analysed in file mode runs on its own clock), so the episodes end at the last frame.
        var result = _engine.EndAll(_lastCaptureTime);
        foreach (var episode in result.Events) await EmitAsync(episode, [], ct).ConfigureAwait(false);
        if (_clips is not null) await _clips.FlushAsync(_camera.Id).ConfigureAwait(false);   // held ended events go out now
        _evidence.Dispose();
    }

    private async ValueTask EmitAsync(EpisodeEvent episode, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct)
    {
        var evt = episode.ToEdgeEvent(SchemaVersion, _deviceId, _camera, _model, evidence.Select(b => b.Ref).ToList());
        // Event clips (Recording/ClipService): an ended event whose clip is still being cut is emitted with it once ready.
        if (episode.Type == EventType.Ended && _clips?.TryHoldEnded(evt, evidence) == true) return;
        await _sink.EmitAsync(evt, evidence, ct).ConfigureAwait(false);
        if (episode.Type == EventType.Started) _clips?.EpisodeStarted(evt);
    }
}
