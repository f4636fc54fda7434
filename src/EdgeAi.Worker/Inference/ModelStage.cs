using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Inference;

/// <summary>
/// Loads every configured model once at start (a bad manifest throws <see cref="ModelManifestException"/> and the
/// worker does not start) and disposes the detectors when the host is disposed. Models are not reloaded: a reload that
/// names a model not loaded here is refused.
/// </summary>
internal sealed class ModelStage(WorkerConfig config, WorkerState state, ILoggerFactory loggers) : WorkerStage, IDisposable
{
    private readonly Dictionary<string, OnnxDetector> _detectors = new(StringComparer.Ordinal);

    /// <summary>Model id → detector, filled once the stage started.</summary>
    public IReadOnlyDictionary<string, OnnxDetector> Detectors => _detectors;

    protected override Task StartStageAsync(CancellationToken ct)
    {
        foreach (var m in config.Models)
        {
            var manifest = ModelManifestLoader.Load(m.Manifest);
            _detectors[m.Id] = new OnnxDetector(manifest, new InferenceOptions { ExecutionProvider = m.ExecutionProvider, GpuDeviceId = m.GpuDeviceId, Threads = m.Threads, BatchSize = m.BatchSize, SpinWait = m.SpinWait },
                loggers.CreateLogger<OnnxDetector>());
        }
        state.ModelsLoaded(_detectors.ToDictionary(d => d.Key, d => ExecutionProviders.Name(d.Value.ExecutionProvider)));
        return Task.CompletedTask;
    }

    protected override Task StopStageAsync() => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var d in _detectors.Values) d.Dispose();
        _detectors.Clear();
    }
}
