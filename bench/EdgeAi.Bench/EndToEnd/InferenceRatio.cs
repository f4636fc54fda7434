using System.Diagnostics;
using System.Globalization;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>Inference-ratio medians (ms/frame) and the ratio written to latest.json.</summary>
internal sealed record InferenceResult(double Ratio, double StageMs, double BareMs, int Threads, string Provider, string Model,
    string? RequestedProvider = null, string? FallbackReason = null);

/// <summary>
/// Milliseconds per frame of the worker's inference stage work (preprocess + Run + decode + NMS through
/// <see cref="OnnxDetector"/>) against a bare ONNX Runtime <c>Run</c> loop on the same model, input size and
/// thread count, batch 1, alternating blocks. <c>--provider cuda|tensorrt [--gpu-device-id N]</c> runs both on that GPU
/// provider (the bare session gets it through the same <see cref="ExecutionProviders.Append"/>); a detector that fell back
/// to CPU is reported with provider "cpu" and the reason, so a caller that needs the GPU can tell.
/// </summary>
internal static class InferenceRatio
{
    public static InferenceResult Run(string[] args)
    {
        var root = BenchPaths.Root;
        var manifestPath = BenchArgs.Get(args, "--manifest", Path.Combine(root, "models", "demo", "edgeai-demo.manifest.json"));
        var frames = int.Parse(BenchArgs.Get(args, "--frames", "200"), CultureInfo.InvariantCulture);
        var threads = int.Parse(BenchArgs.Get(args, "--threads", "2"), CultureInfo.InvariantCulture);
        var providerName = BenchArgs.Get(args, "--provider", "cpu");
        var provider = ExecutionProviders.Parse(providerName) ?? throw new ArgumentException($"--provider must be one of {string.Join(", ", ExecutionProviders.All.Select(ExecutionProviders.Name))}");
        var device = BenchArgs.Int(args, "--gpu-device-id", 0);
        var manifest = ModelManifestLoader.Load(manifestPath);
        var w = manifest.Input.Width;
        var h = manifest.Input.Height;

        var options = new InferenceOptions { Threads = threads, BatchSize = 1, ExecutionProvider = provider, GpuDeviceId = device };
        using var detector = new OnnxDetector(manifest, options, NullLogger.Instance);
        if (detector.FellBackToCpu) Progress.Say($"inference: {providerName} unavailable, both loops run on CPU: {detector.FallbackReason}");
        // A real frame (the camera-scaling crowd scene, letterboxed by ffmpeg exactly as ingest does): random noise would make
        // the decoder and NMS work on thousands of meaningless candidates, which no camera produces.
        var clip = BenchClip.Crowd1080p25(25, 20);
        var frame = FirstFrame(clip, w, h, detector.FrameBytes);
        var geometry = LetterboxGeometry.For(1920, 1080, w, h);
        var results = new List<EdgeAi.Worker.Detection.Detection>();

        using var so = OnnxDetector.CpuSessionOptions(options);   // the worker's settings
        ExecutionProviders.Append(so, detector.ExecutionProvider, device);   // and the provider the detector got
        using var bare = new InferenceSession(manifest.ModelPath, so);
        var input = new float[3 * w * h];
        new Preprocessor(manifest.Input).Fill(frame, input);
        using var ortInput = OrtValue.CreateTensorValueFromMemory(input, [1, 3, h, w]);
        using var runOptions = new RunOptions();

        void Stage() { results.Clear(); detector.Detect([frame], [geometry], [results]); }
        void Bare() { using var o = bare.Run(runOptions, [manifest.Input.Name], [ortInput], [manifest.Output.Name]); }
        for (var i = 0; i < 20; i++) { Stage(); Bare(); }

        var stageMs = new List<double>();
        var bareMs = new List<double>();
        for (var block = 0; block < 5; block++)
        {
            stageMs.Add(TimeMs(Stage, frames / 5));
            bareMs.Add(TimeMs(Bare, frames / 5));
        }
        var s = stageMs.Order().ElementAt(2);
        var b = bareMs.Order().ElementAt(2);
        Progress.Say($"inference: {results.Count} detections on the test frame");
        Progress.Say($"inference: model {manifest.Name} {w}x{h}, {threads} threads, {ExecutionProviders.Name(detector.ExecutionProvider)}: worker stage {s:0.00} ms/frame, bare ORT Run {b:0.00} ms/frame, inference_ratio (bare/stage) = {b / s:0.000}");
        return new InferenceResult(Math.Round(b / s, 3), Math.Round(s, 3), Math.Round(b, 3), threads, ExecutionProviders.Name(detector.ExecutionProvider), $"{manifest.Name} {w}x{h}",
            providerName, detector.FallbackReason);
    }

    /// <summary>One frame of <paramref name="clip"/> through the worker's own ffmpeg filters (scale, letterbox, planar GBR).</summary>
    private static byte[] FirstFrame(string clip, int w, int h, int bytes)
    {
        var camera = new EdgeAi.Worker.Configuration.CameraConfig { Id = "bench", Url = clip, Decode = new EdgeAi.Worker.Configuration.DecodeOptions(EdgeAi.Worker.Configuration.DecodeMode.Keyframes) };
        var args = EdgeAi.Worker.Ingest.FfmpegArguments.Build(camera, w, h).ToList();
        args.InsertRange(args.IndexOf("-map"), ["-frames:v", "1"]);
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        if (ms.Length < bytes) throw new InvalidOperationException($"ffmpeg gave {ms.Length} bytes for one frame of {clip}, expected {bytes}");
        return ms.ToArray()[..bytes];
    }

    private static double TimeMs(Action a, int n)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) a();
        return sw.Elapsed.TotalMilliseconds / n;
    }
}
