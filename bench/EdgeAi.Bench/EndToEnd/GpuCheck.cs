using System.Diagnostics;
using System.Text.Json;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>A 1080p RTSP camera through the worker's ingest (ffmpeg with the worker's arguments) with one hwaccel.</summary>
internal sealed record HwDecodeResult(string Hwaccel, string Source, double Seconds, long Frames, double Fps, double FfmpegCpuPercent,
    string State, long DecodeErrors, long Reconnects, string? LastError);

/// <summary>bench/results/gpu.json: what <c>bench/gpu-check.sh</c> found on a GPU box.</summary>
internal sealed record GpuCheckResult(bool Ok, IReadOnlyList<string> Problems, string Date, string Machine, string OnnxRuntime,
    IReadOnlyList<ProviderProbe> Providers, InferenceResult Inference, double InferenceRatio, HwDecodeResult Decode);

/// <summary>
/// <c>EdgeAi.Bench gpu --out FILE [--provider cuda|tensorrt|cpu] [--hwaccel cuda|none] [--gpu-device-id N] [--seconds S]</c>:
/// the GPU check behind bench/gpu-check.sh. (1) every provider ONNX Runtime lists, tried for real; (2) the inference ratio
/// (detector stage vs bare ORT Run) with both on the requested provider; (3) the 1080p25 crowd clip served by the RTSP test
/// camera (tools/rtsp), decoded in full at 25 fps by the worker's own ingest with <c>-hwaccel</c>. Not ok (exit 1, problems
/// listed) when the provider fell back to CPU, or the camera did not stream at its rate without decode errors.
/// <c>--provider cpu --hwaccel none</c> runs the same logic on a machine without a GPU.
/// </summary>
internal static class GpuCheck
{
    public static async Task<int> RunAsync(string[] args)
    {
        var output = BenchArgs.Get(args, "--out", Path.Combine(BenchPaths.Results, "gpu.json"));
        var provider = BenchArgs.Get(args, "--provider", "cuda");
        var hwaccel = BenchArgs.Get(args, "--hwaccel", "cuda");
        var device = BenchArgs.Int(args, "--gpu-device-id", 0);
        var seconds = BenchArgs.Double(args, "--seconds", 20);
        if (ExecutionProviders.Parse(provider) is not { } chosen || hwaccel is not ("cuda" or "none"))
        {
            Console.Error.WriteLine($"gpu: --provider must be one of {string.Join(", ", ExecutionProviders.All.Select(ExecutionProviders.Name))} and --hwaccel cuda or none");
            return 2;
        }
        var problems = new List<string>();

        var providers = ExecutionProviders.Probe(device);
        foreach (var p in providers) Progress.Say($"gpu: provider {p.OrtName}: {(p.Loads switch { true => "loads", false => $"does not load: {p.Detail}", null => "listed" })}");
        var wanted = providers.FirstOrDefault(p => p.OrtName == ExecutionProviders.OrtName(chosen));
        if (wanted is not { Loads: true }) problems.Add($"{ExecutionProviders.OrtName(chosen)} does not load: {wanted?.Detail ?? "not in this ONNX Runtime build (build with GPU=1)"}");

        var inference = InferenceRatio.Run(["--threads", Environment.ProcessorCount.ToString(), "--frames", "500", "--provider", provider, "--gpu-device-id", device.ToString()]);
        if (inference.Provider != provider) problems.Add($"inference ran on {inference.Provider}, not {provider}: {inference.FallbackReason}");

        var decode = await DecodeAsync(hwaccel, device, seconds);
        var expectedFrames = 25 * decode.Seconds * 0.9;
        if (decode.Frames < expectedFrames)
            problems.Add($"decode with -hwaccel {hwaccel}: {decode.Frames} frames in {decode.Seconds:0.0} s, expected ≥ {expectedFrames:0} (25 fps); state {decode.State}: {decode.LastError}");
        if (decode.DecodeErrors > 0 || decode.Reconnects > 0)
            problems.Add($"decode with -hwaccel {hwaccel}: {decode.DecodeErrors} decode errors, {decode.Reconnects} reconnects: {decode.LastError}");

        var result = new GpuCheckResult(problems.Count == 0, problems, DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            BenchResults.MachineDescription(), Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString(), providers, inference, inference.Ratio, decode);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, BenchResults.Json) + "\n");
        Progress.Say($"gpu: wrote {output}");
        foreach (var p in problems) Console.Error.WriteLine($"gpu: FAILED: {p}");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>The worker's live ingest on one RTSP camera for <paramref name="seconds"/>, every frame decoded (mode all, 25 fps).</summary>
    private static async Task<HwDecodeResult> DecodeAsync(string hwaccel, int device, double seconds)
    {
        var clip = BenchClip.Crowd1080p25(25, 20);
        await using var server = await RtspCameraServer.StartNewAsync("gpu", clip);
        var camera = new CameraConfig { Id = "gpu", Url = server.Url("gpu"), Hwaccel = hwaccel == "cuda" ? Hwaccel.Cuda : Hwaccel.None, Decode = new DecodeOptions(DecodeMode.All, 25) };
        Progress.Say($"gpu: decoding {Path.GetFileName(clip)} from {camera.Url} with -hwaccel {hwaccel} for {seconds:0} s (worker ingest, all frames)");
        if (device != 0) Environment.SetEnvironmentVariable("CUDA_VISIBLE_DEVICES", device.ToString());   // ffmpeg's -hwaccel cuda takes the first visible GPU
        var health = new CameraHealth(camera.Id);
        var queue = new FrameQueue(camera.Id, health, new FrameSignal(), capacity: 8, dropOldest: true);
        var ingest = new CameraIngest(camera, 320, 320, queue.Writer, health, new IngestOptions(), NullLogger.Instance,
            new LiveFrameSource(health, new IngestOptions(), NullLogger.Instance));
        using var stop = new CancellationTokenSource();
        var run = ingest.RunAsync(stop.Token);
        long frames = 0;
        var first = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            await foreach (var f in queue.Reader.ReadAllAsync(stop.Token))
            {
                f.Release();
                if (Interlocked.Increment(ref frames) == 1) first.TrySetResult();
            }
        });
        // Measure from the first frame, so RTSP setup is not counted; give up waiting for it after the stall timeout.
        await Task.WhenAny(first.Task, Task.Delay(camera.Decode.StallTimeout + camera.Decode.SocketTimeout));
        var start = Stopwatch.GetTimestamp();
        var cpu0 = ProcessStats.Children("ffmpeg").CpuSeconds;
        var framesAtStart = Interlocked.Read(ref frames);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = ProcessStats.Children("ffmpeg").CpuSeconds - cpu0;
        var counted = Interlocked.Read(ref frames) - framesAtStart;
        var state = health.State.ToString().ToLowerInvariant();
        var (errors, reconnects, lastError) = (health.DecodeErrors, health.Reconnects, health.LastError);
        await stop.CancelAsync();
        await run;
        try { await reader; } catch (OperationCanceledException) { }
        var result = new HwDecodeResult(hwaccel, "1080p25 H.264 over RTSP (tools/rtsp)", Math.Round(elapsed, 1), counted, Math.Round(counted / elapsed, 1),
            Math.Round(100 * cpu / elapsed, 1), state, errors, reconnects, lastError);
        Progress.Say($"gpu: decode -hwaccel {hwaccel}: {result.Fps} fps ({counted} frames in {result.Seconds} s), ffmpeg CPU {result.FfmpegCpuPercent} % of one core, state {state}, {errors} decode errors, {reconnects} reconnects");
        return result;
    }
}
