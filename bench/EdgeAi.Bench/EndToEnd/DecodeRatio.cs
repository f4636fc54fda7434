using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>Decode-ratio medians (frames/s) and the ratios written to latest.json.</summary>
internal sealed record DecodeResult(double Ratio, double RatioVsBareDecode, double BareDecodeFps, double BareFilteredFps, double IngestFps, int Runs);

/// <summary>
/// Frames/s of the worker's ingest stage (ffmpeg with the worker's arguments → stdout → pooled buffers →
/// frame channel) against bare <c>ffmpeg -f null</c> on the same 1080p25 clip: (a) bare decode only and
/// (b) bare decode with the same scale/letterbox/format filters, so the pipe-and-read overhead is isolated.
/// Runs alternate to cancel drift on a shared machine; the median of each is reported.
/// </summary>
internal static class DecodeRatio
{
    public static async Task<DecodeResult> RunAsync(string[] args)
    {
        var root = BenchPaths.Root;
        var clip = BenchArgs.Get(args, "--clip", Path.Combine(root, ".cache", "clips", "bench-1080p25-20s.mp4"));
        var runs = int.Parse(BenchArgs.Get(args, "--runs", "3"), CultureInfo.InvariantCulture);
        var size = int.Parse(BenchArgs.Get(args, "--size", "320"), CultureInfo.InvariantCulture);
        var options = new IngestOptions();
        options = options with { DecoderNice = BenchArgs.Int(args, "--decoder-nice", options.DecoderNice) };   // the worker's setting unless told
        if (!File.Exists(clip)) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(clip))!);   // a fresh clone has no .cache/clips yet
        if (!File.Exists(clip)) Exec("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-t", "20", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p", clip]);
        var frames = 500;
        var camera = new CameraConfig { Id = "bench", Url = clip, Decode = new DecodeOptions(DecodeMode.All, 25) };
        var filters = FfmpegArguments.Build(camera, size, size)[FfmpegArguments.Build(camera, size, size).ToList().IndexOf("-vf") + 1].Replace(",fps=25", "").Replace("fps=25,", "");

        var bareDecode = new List<double>();
        var bareFiltered = new List<double>();
        var ingest = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            bareDecode.Add(frames / Time(() => Exec("ffmpeg", ["-v", "error", "-i", clip, "-f", "null", "-"])));
            bareFiltered.Add(frames / Time(() => Exec("ffmpeg", ["-v", "error", "-i", clip, "-vf", filters, "-f", "null", "-"])));
            ingest.Add(await IngestFpsAsync(camera, size, options));
            Progress.Say($"decode: run {r + 1}/{runs}: bare decode {bareDecode[^1]:0.0} fps, bare decode+filters {bareFiltered[^1]:0.0} fps, worker ingest {ingest[^1]:0.0} fps");
        }
        double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
        var result = new DecodeResult(Math.Round(Median(ingest) / Median(bareFiltered), 3), Math.Round(Median(ingest) / Median(bareDecode), 3),
            Math.Round(Median(bareDecode), 1), Math.Round(Median(bareFiltered), 1), Math.Round(Median(ingest), 1), runs);
        Progress.Say($"decode: decode_ratio (ingest / bare decode + same filters) = {result.Ratio:0.000}; vs bare decode only (scaling to {size}x{size} included) = {result.RatioVsBareDecode:0.000}");
        Progress.Say($"decode: median fps: bare decode {result.BareDecodeFps}, bare + filters {result.BareFilteredFps}, ingest {result.IngestFps} (ffmpeg's default threads in all three, {Environment.ProcessorCount} cores)");
        return result;
    }

    private static async Task<double> IngestFpsAsync(CameraConfig camera, int size, IngestOptions options)
    {
        var health = new CameraHealth(camera.Id);
        var queue = new FrameQueue(camera.Id, health, new FrameSignal(), capacity: 8, dropOldest: false);
        var ingest = new CameraIngest(camera, size, size, queue.Writer, health, options, NullLogger.Instance,
            new ClipFrameSource(DateTimeOffset.UnixEpoch, health, NullLogger.Instance));
        var sw = Stopwatch.StartNew();
        var run = ingest.RunAsync(CancellationToken.None);
        long n = 0;
        await foreach (var f in queue.Reader.ReadAllAsync())
        {
            f.Release();
            n++;
        }
        await run;
        return n / sw.Elapsed.TotalSeconds;
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }

    private static void Exec(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {err}");
    }
}
