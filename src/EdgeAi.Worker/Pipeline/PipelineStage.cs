using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Hosting;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// The camera pipeline as the last stage: built once models, outbox and delivery run, then ingest → inference →
/// analytics for every camera, and hot reload on SIGHUP (<see cref="ConfigReloader"/>). When the host begins to stop
/// the pipeline drains (open episodes are ended into the outbox) before delivery stops. A pipeline that ends on its own
/// with an error stops the worker.
/// </summary>
internal sealed class PipelineStage(WorkerConfig config, WorkerConfigSource source, WorkerState state, WorkerMetrics metrics, ModelStage models,
    CameraAnalyticsFactory analytics, IFrameSourceFactory sources, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : WorkerStage, IDisposable
{
    private readonly ILogger _log = loggers.CreateLogger("EdgeAi.Worker");
    private readonly CancellationTokenSource _stop = new();
    private ConfigReloader? _reloader;
    private Task _running = Task.CompletedTask, _reloading = Task.CompletedTask;
    private CancellationTokenRegistration _onStopping;

    protected override Task StartStageAsync(CancellationToken ct)
    {
        var detectors = models.Detectors;
        var first = config.Models[0];
        var pipeline = new WorkerPipeline(config.Cameras, detectors, analytics.Create,
            new IngestOptions { FullResolutionRoot = config.Evidence.FullResolution ? FullResolutionFrames.DefaultRoot() : null }, new InferenceOptions { BatchWait = first.BatchWait }, loggers,
            sources, classMaps: config.Models.Where(m => m.ClassMap is not null).ToDictionary(m => m.Id, m => m.ClassMap!));
        foreach (var h in pipeline.Health.Values) metrics.Attach(h);
        state.PipelineStarted(pipeline);
        _onStopping = lifetime.ApplicationStopping.Register(_stop.Cancel);   // SIGTERM, Ctrl-C or a failed start: drain
        _log.LogInformation("EdgeAi worker {DeviceId} running: {Cameras} cameras, models {Models}", config.DeviceId, config.Cameras.Count, string.Join(",", detectors.Keys));
        _running = pipeline.RunAsync(_stop.Token);
        pipeline.CameraAdded += metrics.Attach;
        _reloader = new ConfigReloader();
        _reloading = _reloader.RunAsync(source.Path, config, detectors.Keys.ToHashSet(), pipeline, _log, _stop.Token);
        _ = _running.ContinueWith(t =>
        {
            if (_stop.IsCancellationRequested) return;
            _log.LogCritical(t.Exception, "The camera pipeline ended on its own; stopping the worker");
            lifetime.StopApplication();
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    protected override async Task StopStageAsync()
    {
        _stop.Cancel();
        try
        {
            await _running.ConfigureAwait(false);
        }
        finally
        {
            await _reloading.ConfigureAwait(false);
            _reloader?.Dispose();
        }
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Where the running config was read from (what a reload reads again).</summary>
internal sealed record WorkerConfigSource(string Path);
