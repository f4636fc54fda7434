using EdgeAi.Models.Events;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Publishing;
using EdgeAi.Worker.Quality;
using EdgeAi.Worker.Recording;
using EdgeAi.Worker.Tracking;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// The service's analytics chain for one camera: quality check → tracker, zone rules, evidence and event clips
/// (<see cref="ScenarioAnalytics"/>, registered with the <see cref="ZoneVerifier"/> that answers Central's "verify"
/// commands) → the outbox. Called by the pipeline for each camera it starts, at start and on reload.
/// </summary>
internal sealed class CameraAnalyticsFactory(WorkerConfig config, IReadOnlyDictionary<string, OnnxDetector> detectors, EvidenceStore store,
    IEventSink sink, ZoneVerifier verifier, QualityBoard quality, ClipStage clips, ILoggerFactory loggers)
{
    public ICameraAnalytics Create(CameraConfig camera)
    {
        var d = detectors[camera.Model ?? config.Models[0].Id];
        var model = new ModelInfo(d.Manifest.Name, d.Manifest.Version, d.Manifest.Sha256);
        var scenarios = verifier.Register(camera.Id,
            new ScenarioAnalytics(config.DeviceId, camera, camera.Scenarios, model, store, new EvidenceOptions { PersonClasses = config.Evidence.BlurClasses }, sink, TrackerOptions.ForModel(d.Manifest.Thresholds),
                loggers.CreateLogger<ScenarioAnalytics>(), clips.Service));
        return new QualityCheckingAnalytics(camera.Id, scenarios, camera.Quality ?? config.Quality, quality, loggers.CreateLogger<QualityCheckingAnalytics>());
    }
}
