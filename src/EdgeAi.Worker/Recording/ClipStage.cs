using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Hosting;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Pipeline;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Recording;

/// <summary>
/// Event clips (<see cref="ClipService"/>) as a stage: started after the outbox (held ended events go into it) and the
/// models (<c>delivery: blurred</c> gets its own session of the first model), stopped after the pipeline has drained and
/// before the outbox closes, so an ended event waiting for its clip is written with it.
/// </summary>
internal sealed class ClipStage(WorkerConfig config, ModelStage models, IEventSink sink, ILoggerFactory loggers, TimeProvider time) : WorkerStage
{
    private ClipService? _clips;

    /// <summary>The running clip service; only once this stage started.</summary>
    public ClipService Service => _clips ?? throw new InvalidOperationException("the clip service is not started yet");

    protected override Task StartStageAsync(CancellationToken ct)
    {
        var first = config.Models[0];
        var blurrer = config.Recording.Delivery == ClipDelivery.Blurred && config.Cameras.Any(c => c.Record)
            ? new ClipBlurrer(models.Detectors[first.Id].Manifest, first.ClassMap, loggers.CreateLogger<OnnxDetector>(), config.Evidence.BlurClasses) : null;
        _clips = new ClipService(config.Recording, sink, loggers, time, blurrer);
        return Task.CompletedTask;
    }

    protected override async Task StopStageAsync()
    {
        if (Interlocked.Exchange(ref _clips, null) is { } clips) await clips.DisposeAsync().ConfigureAwait(false);
    }
}
