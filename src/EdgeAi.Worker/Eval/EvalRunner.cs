using EdgeAi.Models.Events;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Eval;

/// <summary>
/// Runs the worker's own pipeline over clip files: each clip is a camera whose URL is the file, decoded by ffmpeg
/// with the ingest's arguments (key frames only, letterboxed to the model input), analysed by the ONNX detector
/// (batched across the clips of a group), the tracker and the scenario engine (configured from the GT), with the
/// <see cref="ScenarioAnalytics"/> stage of the service. Its frame source (<see cref="ClipFrameSource"/>) stamps each frame
/// with the GT's clock_start plus its stream time, so dwell, grace, cooldown and the ban schedule run on scene time, and nothing is dropped,
/// however slow the machine. Only the outbox is replaced, by an <see cref="EpisodeCollector"/> per clip.
/// </summary>
internal sealed class EvalRunner(OnnxDetector detector, EvalOptions options, ILoggerFactory loggers)
{
    public const string DeviceId = "eval";

    /// <summary>A clip file is read as fast as the pipeline takes frames; a wait here is back-pressure, not a stalled camera.</summary>
    private static readonly DecodeOptions FileDecode = new() { StallTimeout = TimeSpan.FromMinutes(5), SocketTimeout = TimeSpan.FromSeconds(30) };

    /// <summary>Analyses every clip (in groups of <see cref="EvalOptions.Parallel"/>); returns one run per clip, in the given order.</summary>
    /// <param name="progress">Called about four times a second with (clip name, frames analysed so far, expected frames).</param>
    public async Task<IReadOnlyList<ClipRun>> RunAsync(IReadOnlyList<EvalClip> clips, Action<string, long, long>? progress, CancellationToken ct)
    {
        var configs = clips.ToDictionary(c => c.Name, ClipScenarioConfig.For);   // every GT problem before any work
        var evidenceDir = options.EvidenceDirectory ?? Path.Combine(Path.GetTempPath(), $"edgeai-eval-{Guid.NewGuid():N}");
        var model = new ModelInfo(detector.Manifest.Name, detector.Manifest.Version, detector.Manifest.Sha256);
        var runs = new List<ClipRun>(clips.Count);
        try
        {
            var store = new EvidenceStore(new EvidenceStoreOptions { Directory = evidenceDir, MaxAge = TimeSpan.FromDays(3650) });
            foreach (var group in clips.Chunk(Math.Max(1, options.Parallel)))
                runs.AddRange(await RunGroupAsync(group, configs, store, model, progress, ct).ConfigureAwait(false));
        }
        finally
        {
            if (options.EvidenceDirectory is null) TryDelete(evidenceDir);
        }
        return runs;
    }

    private async Task<IEnumerable<ClipRun>> RunGroupAsync(EvalClip[] group, Dictionary<string, Scenarios.ScenarioConfig> configs, EvidenceStore store,
        ModelInfo model, Action<string, long, long>? progress, CancellationToken ct)
    {
        var cameras = group.Select(c => new CameraConfig
        {
            Id = c.Name,
            Name = c.Name,
            Url = c.VideoPath,
            Decode = FileDecode,
            Scenarios = configs[c.Name],
        }).ToList();
        var collectors = group.ToDictionary(c => c.Name, c => new EpisodeCollector(c.ClockStart, c.Truth.DurationS));
        var pipeline = new WorkerPipeline(cameras, new Dictionary<string, OnnxDetector> { [model.Name] = detector },
            camera => new ScenarioAnalytics(DeviceId, camera, camera.Scenarios, model, store, null, collectors[camera.Id], Tracking.TrackerOptions.ForModel(detector.Manifest.Thresholds)),
            new IngestOptions { FullResolutionRoot = options.EvidenceDirectory is null ? null : FullResolutionFrames.DefaultRoot() }, new InferenceOptions(), loggers,
            new ClipFrameSourceFactory(group.ToDictionary(c => c.Name, c => c.ClockStart)));

        var run = pipeline.RunAsync(ct);
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
            foreach (var c in group) progress?.Invoke(c.Name, pipeline.Health[c.Name].FramesAnalysed, ExpectedFrames(c));
        }
        await run.ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();

        return group.Select(c =>
        {
            var health = pipeline.Health[c.Name];
            var expected = ExpectedFrames(c);
            var analysed = health.FramesAnalysed;
            string? error = null;
            if (analysed == 0) error = $"{c.VideoPath}: no frame decoded ({health.LastError ?? "ffmpeg gave no video"})";
            else if (analysed < expected - 1) error = $"{c.VideoPath}: only {analysed} of {expected} key frames analysed ({health.LastError ?? "stream ended early"})";
            return new ClipRun(c, collectors[c.Name].Episodes(), analysed, expected, error);
        });
    }

    /// <summary>Key frames in the clip: what key-frame decode analyses (the eval clips have one key frame per second).</summary>
    public static long ExpectedFrames(EvalClip c)
    {
        double gop = c.Truth.Gop is > 0 ? c.Truth.Gop.Value : c.Truth.Fps > 0 ? c.Truth.Fps : 1;
        var frames = c.Truth.Fps > 0 ? Math.Round(c.Truth.DurationS * c.Truth.Fps) : c.Truth.DurationS;
        return (long)Math.Ceiling(frames / gop);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
