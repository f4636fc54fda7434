using System.CommandLine;
using System.Diagnostics;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Cli;

/// <summary>
/// <c>edgeai models verify MANIFEST...</c>: before a box goes live, is each model what its manifest says and does it run
/// here? Checks the manifest (fields, sha256 of the .onnx, input/output shapes against the model), loads it into ONNX
/// Runtime with the requested execution provider and runs one frame through the whole detector path.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var manifests = new Argument<string[]>("manifest") { Description = "Model manifest files (e.g. models/demo/edgeai-demo.manifest.json)", Arity = ArgumentArity.OneOrMore };
        var provider = new Option<string>("--execution-provider") { Description = "cpu, cuda or tensorrt (a GPU provider that cannot run here falls back to cpu and says so)", DefaultValueFactory = _ => ExecutionProviders.Cpu };
        provider.AcceptOnlyFromAmong([.. ExecutionProviders.Names]);
        var device = new Option<int>("--gpu-device-id") { Description = "GPU for cuda and tensorrt", DefaultValueFactory = _ => 0 };
        var verify = new Command("verify", "Check model manifests (sha256, shapes), load each model and run one frame through it.") { manifests, provider, device };
        verify.SetAction((parse, _) => Task.FromResult(Verify(parse.GetValue(manifests)!, parse.GetValue(provider)!, parse.GetValue(device))));
        return new Command("models", "Inspect the detection models.") { verify };
    }

    private static int Verify(IEnumerable<string> manifests, string provider, int deviceId)
    {
        var failures = 0;
        foreach (var path in manifests)
        {
            try
            {
                var manifest = ModelManifestLoader.Load(path);
                using var detector = new OnnxDetector(manifest, new InferenceOptions { ExecutionProvider = provider, GpuDeviceId = deviceId, Threads = 1, BatchSize = 1 }, NullLogger.Instance);
                var (w, h) = (manifest.Input.Width, manifest.Input.Height);
                var frame = new byte[w * h * 3];
                Array.Fill(frame, (byte)114);   // the letterbox grey: a frame with nothing in it
                var results = new List<Detection.Detection>[] { [] };
                var clock = Stopwatch.StartNew();
                detector.Detect([frame], [LetterboxGeometry.Identity(w, h)], results);
                Console.WriteLine($"ok    {path}: {manifest.Name} {manifest.Version}, sha256 {manifest.Sha256[..12]}…, input {w}x{h}, " +
                    $"{manifest.Labels.Count} labels ({string.Join(", ", manifest.Labels)}), {detector.ExecutionProvider}" +
                    (detector.FellBackToCpu ? $" ({provider} unavailable: {detector.FallbackReason})" : "") + ", " +
                    $"one frame in {clock.Elapsed.TotalMilliseconds:0.0} ms, {results[0].Count} detections on a blank frame");
            }
            catch (Exception ex) when (ex is ModelManifestException or IOException or ArgumentException)
            {
                failures++;
                Console.Error.WriteLine($"FAIL  {path}: {ex.Message}");
            }
        }
        return failures == 0 ? 0 : RunCommand.ExitConfig;
    }
}
