using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAi.Worker.Configuration;
using OpenCvSharp;

namespace EdgeAi.Worker.Ingest;

/// <summary>What <c>edgeai probe</c> learns about a stream.</summary>
public sealed record ProbeResult(string Url, string Codec, int Width, int Height, double Fps, double? KeyFrameIntervalSeconds, string? SnapshotPath, int SnapshotBytes)
{
    /// <summary>Seconds of stream read without seeing two key frames (interval unknown but at least this); null when measured.</summary>
    public double? KeyFrameIntervalAtLeastSeconds { get; init; }

    /// <summary>What the key-frame interval means for analysis (long GOP: set decode.max_analysis_interval); null when nothing to say.</summary>
    public string? Advice { get; init; }
}

/// <summary>A probe that could not complete; <see cref="Exception.Message"/> is the reason for the engineer.</summary>
public sealed class ProbeException(string message) : Exception(message);

/// <summary>
/// Connects to a camera with ffprobe/ffmpeg (RTSP over TCP, socket timeout) and reports codec, resolution,
/// frame rate and key-frame interval, and saves one snapshot JPEG (OpenCV).
/// </summary>
public static class CameraProbe
{
    public static async Task<ProbeResult> RunAsync(string url, string? snapshotPath, TimeSpan timeout, CancellationToken ct)
    {
        var input = InputArgs(url, timeout);
        string[] streamArgs = ["-v", "error", .. input, "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,avg_frame_rate,r_frame_rate", "-of", "json"];
        var streams = await RunToolAsync("ffprobe", streamArgs, timeout * 2, ct).ConfigureAwait(false);
        if (streams.ExitCode != 0)
        {
            // One retry: a camera may refuse a connection while it restarts a session; a second failure is reported.
            await Task.Delay(500, ct).ConfigureAwait(false);
            streams = await RunToolAsync("ffprobe", streamArgs, timeout * 2, ct).ConfigureAwait(false);
        }
        using var doc = JsonDocument.Parse(streams.Stdout.Length == 0 ? "{}" : streams.Stdout);
        if (!doc.RootElement.TryGetProperty("streams", out var list) || list.GetArrayLength() == 0)
        {
            if (streams.ExitCode != 0) throw new ProbeException($"cannot read {CameraConfig.RedactUrl(url)}: {FfmpegStderr.Classify(streams.StderrLines, streams.ExitCode).Reason}");
            throw new ProbeException($"{CameraConfig.RedactUrl(url)} is not a video stream (no video track)");
        }
        var s = list[0];
        var codec = s.GetProperty("codec_name").GetString() ?? "?";
        var width = s.GetProperty("width").GetInt32();
        var height = s.GetProperty("height").GetInt32();
        var fps = ParseRate(s.TryGetProperty("avg_frame_rate", out var a) ? a.GetString() : null) is > 0 and var avg
            ? avg : ParseRate(s.TryGetProperty("r_frame_rate", out var r) ? r.GetString() : null);

        // 6 s of packets are enough for ordinary cameras; a "smart" long-GOP encoder (key frames 10-25 s apart, H.264+/H.265+)
        // needs a longer read, done only when the first shows fewer than two key frames.
        var keyTimes = await KeyFrameTimesAsync(input, ShortRead, timeout * 3, ct).ConfigureAwait(false);
        var read = ShortRead;
        if (keyTimes.Count < 2)
        {
            keyTimes = await KeyFrameTimesAsync(input, LongRead, TimeSpan.FromSeconds(LongRead) + timeout * 3, ct).ConfigureAwait(false);
            read = LongRead;
        }
        double? gop = keyTimes.Count >= 2 ? keyTimes.Zip(keyTimes.Skip(1), (x, y) => y - x).Order().ElementAt((keyTimes.Count - 1) / 2) : null;

        int bytes = 0;
        if (snapshotPath is not null)
        {
            try
            {
                bytes = await SnapshotAsync(input, width, height, snapshotPath, timeout, ct).ConfigureAwait(false);
            }
            catch (ProbeException)
            {
                // Same single retry as the stream query: a camera may drop one session while another is set up.
                await Task.Delay(500, ct).ConfigureAwait(false);
                bytes = await SnapshotAsync(input, width, height, snapshotPath, timeout, ct).ConfigureAwait(false);
            }
        }
        return new ProbeResult(CameraConfig.RedactUrl(url), codec, width, height, Math.Round(fps, 3), gop is { } g ? Math.Round(g, 3) : null, snapshotPath, bytes)
        {
            KeyFrameIntervalAtLeastSeconds = gop is null ? read : null,
            Advice = Advise(gop, gop is null ? read : null),
        };
    }

    private const int ShortRead = 6;
    private const int LongRead = 40;

    /// <summary>Above this key-frame interval, key-frame mode analyses too rarely for the rules' defaults (max frame gap 20 s, grace 10 s).</summary>
    internal const double LongGopSeconds = 5;

    internal static string? Advise(double? gop, double? atLeast)
    {
        var interval = gop ?? atLeast;
        if (interval is null || interval <= LongGopSeconds) return null;
        var spacing = gop is { } g ? $"{g:0.#} s" : $"more than {atLeast:0} s";
        return $"long GOP: key frames {spacing} apart, so key-frame mode (the default) analyses one frame per {spacing}; " +
            "set this camera's decode.max_analysis_interval (e.g. \"00:00:02\") to decode non-key frames at that rate (more CPU), " +
            "or shorten the camera's I-frame interval";
    }

    private static async Task<List<double>> KeyFrameTimesAsync(string[] input, int seconds, TimeSpan timeout, CancellationToken ct)
    {
        var packets = await RunToolAsync("ffprobe", ["-v", "error", .. input, "-select_streams", "v:0", "-read_intervals", $"%+{seconds}",
            "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0"], timeout, ct).ConfigureAwait(false);
        return packets.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(','))
            .Where(f => f.Length >= 2 && f[1].Contains('K') && double.TryParse(f[0], CultureInfo.InvariantCulture, out _))
            .Select(f => double.Parse(f[0], CultureInfo.InvariantCulture)).ToList();
    }

    private static string[] InputArgs(string url, TimeSpan timeout) => url.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase)
        ? ["-rtsp_transport", "tcp", "-timeout", ((long)timeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture), "-i", url]
        : ["-i", url];

    private static async Task<int> SnapshotAsync(string[] input, int width, int height, string path, TimeSpan timeout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var x in (string[])["-v", "error", "-nostdin", .. input, "-map", "0:v:0", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"])
            psi.ArgumentList.Add(x);
        using var p = Interop.Processes.ChildProcess.Start(psi);
        var bgr = new byte[width * height * 3];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout * 3);
        var stderr = p.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await p.StandardOutput.BaseStream.ReadExactlyAsync(bgr, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EndOfStreamException or OperationCanceledException)
        {
            Interop.Processes.ChildProcess.KillTree(p, TimeSpan.FromSeconds(2));
            throw new ProbeException($"could not decode a frame for the snapshot: {(await stderr.ConfigureAwait(false)).Trim()}");
        }
        await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        using var image = Mat.FromPixelData(height, width, MatType.CV_8UC3, bgr);
        Cv2.ImEncode(".jpg", image, out var bytes, [new ImageEncodingParam(ImwriteFlags.JpegQuality, 85)]);
        await File.WriteAllBytesAsync(path, bytes, ct).ConfigureAwait(false);
        return bytes.Length;
    }

    private static double ParseRate(string? rate)
    {
        if (rate is null) return 0;
        var parts = rate.Split('/');
        if (parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var n) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var d) && d != 0)
            return n / d;
        return double.TryParse(rate, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    private sealed record ToolResult(int ExitCode, string Stdout, IReadOnlyList<string> StderrLines);

    private static async Task<ToolResult> RunToolAsync(string tool, string[] args, TimeSpan timeout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var x in args) psi.ArgumentList.Add(x);
        using var p = Interop.Processes.ChildProcess.Start(psi);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = p.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return new ToolResult(p.ExitCode, await stdout.ConfigureAwait(false), (await stderr.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Interop.Processes.ChildProcess.KillTree(p, TimeSpan.FromSeconds(2));
            throw new ProbeException($"no answer within {timeout.TotalSeconds:0} s (camera unreachable or not streaming)");
        }
    }
}
