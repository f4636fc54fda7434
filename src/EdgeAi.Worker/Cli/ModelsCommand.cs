using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EdgeAi.Worker.Cli;

/// <summary>
/// <c>edgeai models verify MANIFEST... [--image PICTURE]</c>: before a box goes live, is each model what its manifest says
/// and does it run here? Checks the manifest (fields, sha256 of the .onnx, input/output types and shapes against the
/// model), loads it into ONNX Runtime with the requested execution provider, runs a blank frame through the whole detector
/// path and, given a real picture, runs that too and refuses boxes that cannot be right (a wrong layout or normalisation).
/// <c>edgeai models import MODEL.onnx [--labels FILE] [--image PICTURE]</c> writes a manifest from the model itself, then
/// verifies it.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var manifests = new Argument<string[]>("manifest") { Description = "Model manifest files (e.g. models/demo/edgeai-demo.manifest.json)", Arity = ArgumentArity.OneOrMore };
        var provider = new Option<string>("--execution-provider") { Description = "cpu, cuda or tensorrt (a GPU provider that cannot run here falls back to cpu and says so)", DefaultValueFactory = _ => ExecutionProviders.Name(ExecutionProvider.Cpu) };
        provider.AcceptOnlyFromAmong([.. ExecutionProviders.All.Select(ExecutionProviders.Name)]);
        var device = new Option<int>("--gpu-device-id") { Description = "GPU for cuda and tensorrt", DefaultValueFactory = _ => 0 };
        var image = new Option<string?>("--image") { Description = "A real picture (or clip: its first frame) from the camera to run through the model as well" };
        var verify = new Command("verify", "Check model manifests (sha256, shapes), load each model and run a blank frame and, with --image, a real picture through it.")
            { manifests, provider, device, image };
        verify.SetAction((parse, ct) => VerifyAllAsync(parse.GetValue(manifests)!, parse.GetValue(provider)!, parse.GetValue(device), parse.GetValue(image), ct));

        var model = new Argument<string>("model") { Description = "The .onnx file (YOLOv8/YOLO11, YOLOv5, YOLOX, end-to-end, RT-DETR export)" };
        var labels = new Option<string?>("--labels") { Description = "Class names, one per line (default: the model's Ultralytics 'names' metadata)" };
        var output = new Option<string?>("--output") { Description = "Manifest to write (default: MODEL.manifest.json beside the model)" };
        var importImage = new Option<string?>("--image") { Description = "A real picture from the camera to check the new manifest on" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing manifest" };
        var import = new Command("import", "Write a manifest for an ONNX detector from the model itself (names, shapes, metadata, sha256), then verify it.")
            { model, labels, output, importImage, force };
        import.SetAction((parse, ct) => ImportAsync(parse.GetValue(model)!, parse.GetValue(labels), parse.GetValue(output), parse.GetValue(importImage), parse.GetValue(force), ct));
        return new Command("models", "Inspect and import detection models.") { verify, import };
    }

    private static async Task<int> VerifyAllAsync(IEnumerable<string> manifests, string provider, int deviceId, string? image, CancellationToken ct)
    {
        var failures = 0;
        foreach (var path in manifests)
        {
            if (!await VerifyAsync(path, ExecutionProviders.Parse(provider)!.Value, image, ct, deviceId).ConfigureAwait(false)) failures++;
        }
        return failures == 0 ? 0 : RunCommand.ExitConfig;
    }

    /// <summary>Verifies one manifest; prints <c>ok</c> on stdout or <c>FAIL key: reason</c> on stderr.</summary>
    internal static async Task<bool> VerifyAsync(string path, ExecutionProvider provider, string? image, CancellationToken ct, int deviceId = 0)
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
            var line = $"ok    {path}: {manifest.Name} {manifest.Version}, sha256 {manifest.Sha256[..12]}…, input {w}x{h} {manifest.Input.Color} " +
                $"{detector.InputType} letterbox {manifest.Input.Letterbox} pad {manifest.Input.PadValue}, output {manifest.Output.Layout} {detector.OutputType}, " +
                $"{manifest.Labels.Count} labels ({Shorten(manifest.Labels)}), {ExecutionProviders.Name(detector.ExecutionProvider)}" +
                (detector.FellBackToCpu ? $" ({ExecutionProviders.Name(provider)} unavailable: {detector.FallbackReason})" : "") + ", " +
                $"one frame in {clock.Elapsed.TotalMilliseconds:0.0} ms, {results[0].Count} detections on a blank frame";
            if (manifest.Output.Layout == "yolov5" && detector.OutputDims is var (rows, cols)
                && rows == new[] { 8, 16, 32 }.Sum(s => (w / s) * (h / s)))
                line += $"; note: [{rows},{cols}] is one row per grid cell, as a raw YOLOX head gives (YOLOv5 has 3 per cell): if boxes are wrong, try output.layout yolox (check with --image)";
            if (image is not null)
            {
                var run = await DetectCommand.DetectAsync(detector, image, 1, null, ct).ConfigureAwait(false);
                var dets = run.BusiestDetections;
                if (ImplausibleBoxes(dets, run.SourceWidth, run.SourceHeight) is { } why)
                    throw new ModelManifestException($"{manifest.Path}: output.layout: on {image} {why}: the declared layout '{manifest.Output.Layout}' " +
                        "or input.color/scale/letterbox does not match how the model was exported");
                var counts = string.Join(", ", dets.GroupBy(d => d.Label).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"));
                line += $"; {image}: {dets.Count} detections{(dets.Count > 0 ? $" ({counts})" : " — nothing above the confidence threshold: check the picture, input.color and input.scale")}";
            }
            Console.WriteLine(line);
            return true;
        }
        catch (Exception ex) when (ex is ModelManifestException or IOException or ArgumentException or OnnxRuntimeException or ProbeException)
        {
            Console.Error.WriteLine($"FAIL  {path}: {ex.Message}");
            return false;
        }
    }

    /// <summary>
    /// Why boxes found on a real picture cannot be right, or null: most of them collapsed to a point or a line, or
    /// piled in one corner — what a grid-relative output read as pixels (YOLOX declared yolov5) or a wrong scale gives.
    /// </summary>
    internal static string? ImplausibleBoxes(IReadOnlyList<Detection.Detection> dets, int width, int height)
    {
        if (dets.Count == 0) return null;
        var tiny = dets.Count(d => d.Box.Width * width < 2 || d.Box.Height * height < 2);
        var corner = dets.Count(d => d.Box.X2 * width < 4 && d.Box.Y2 * height < 4);
        if (tiny * 2 > dets.Count) return $"{tiny} of {dets.Count} boxes are under 2 pixels wide or high";
        if (corner * 2 > dets.Count) return $"{corner} of {dets.Count} boxes sit at the top-left pixel";
        return null;
    }

    private static string Shorten(IReadOnlyList<string> labels) =>
        labels.Count <= 8 ? string.Join(", ", labels) : string.Join(", ", labels.Take(6)) + $", … {labels[^1]}";

    private static async Task<int> ImportAsync(string modelPath, string? labelsPath, string? output, string? image, bool force, CancellationToken ct)
    {
        try
        {
            var full = Path.GetFullPath(modelPath);
            if (!File.Exists(full)) throw new ModelManifestException($"{full}: no such model file");
            output ??= Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".manifest.json");
            if (File.Exists(output) && !force) throw new ModelManifestException($"{output}: exists; pass --force to overwrite");
            var labels = labelsPath is null ? null
                : (await File.ReadAllLinesAsync(labelsPath, ct).ConfigureAwait(false)).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            var (manifest, notes) = ModelImporter.Describe(full, labels, Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(manifest, ManifestJsonContext.Default.ModelManifest) + "\n", ct).ConfigureAwait(false);
            Console.WriteLine($"wrote {output}: {manifest.Name}, input {manifest.Input.Name} {manifest.Input.Width}x{manifest.Input.Height} {manifest.Input.Color} " +
                $"letterbox {manifest.Input.Letterbox}, output {manifest.Output.Name} layout {manifest.Output.Layout}, {manifest.Labels.Count} labels");
            foreach (var n in notes) Console.WriteLine($"note  {n}");
            return await VerifyAsync(output, ExecutionProvider.Cpu, image, ct).ConfigureAwait(false) ? 0 : RunCommand.ExitConfig;
        }
        catch (Exception ex) when (ex is ModelManifestException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"edgeai models import: {ex.Message}");
            return RunCommand.ExitConfig;
        }
    }
}
