using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeAi.Worker.Ingest;

/// <summary>Parses what the worker needs from ffmpeg's stderr: the input video stream, frame timestamps, and why it failed.</summary>
public static partial class FfmpegStderr
{
    [GeneratedRegex(@"Stream #0:\d+.*?: Video: (\w+)[^,]*,.*?(\d{2,5})x(\d{2,5})")]
    private static partial Regex VideoStream();

    [GeneratedRegex(@"\[Parsed_showinfo_\d+ @ [^\]]+\] n:\s*\d+ pts:\s*-?\d+ pts_time:(-?[0-9.]+)")]
    private static partial Regex ShowInfo();

    /// <summary>Input video stream line, e.g. "Stream #0:0: Video: h264 (High), yuv420p(progressive), 1920x1080, 25 fps".</summary>
    public static bool TryParseVideoStream(string line, out string codec, out int width, out int height)
    {
        var m = VideoStream().Match(line);
        codec = m.Success ? m.Groups[1].Value : "";
        width = m.Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        height = m.Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        return m.Success;
    }

    public static bool TryParseShowInfoTime(string line, out double seconds)
    {
        var m = ShowInfo().Match(line);
        seconds = m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return m.Success;
    }

    /// <summary>What FFmpeg's H.264/HEVC decoders print for a damaged stream (the frame is still concealed and delivered).</summary>
    private static readonly string[] DecodeErrorMarkers =
    [
        "error while decoding", "concealing", "decode_slice_header error", "non-existing PPS", "Invalid NAL unit",
        "corrupted macroblock", "Missing reference picture", "out of range intra chroma pred mode", "cabac decode of qscale diff failed",
        "left block unavailable", "top block unavailable", "mb_type", "RTP: missed", "Packet corrupt",
    ];

    /// <summary>True for a decoder complaint about damaged input (counted, and the camera reported degraded).</summary>
    public static bool IsDecodeError(string line) =>
        line.StartsWith('[') && DecodeErrorMarkers.Any(m => line.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static readonly (string Needle, string Reason, bool Permanent)[] Known =
    [
        ("matches no streams", "not a video stream", true),
        ("does not contain any stream", "not a video stream", true),
        ("Invalid data found when processing input", "invalid data: not an RTSP/H.264 source", true),
        ("401 Unauthorized", "RTSP 401 Unauthorized: check the camera credentials", true),
        ("404 Not Found", "RTSP 404 Not Found: check the stream path", true),
        ("Protocol not found", "unsupported URL protocol", true),
        ("Connection refused", "connection refused", false),
        ("Connection timed out", "connection timed out", false),
        ("timed out", "timed out", false),
        ("No route to host", "no route to host", false),
        ("Network is unreachable", "network unreachable", false),
        ("5XX Server Error", "RTSP server error (5xx)", false),
        ("End of file", "stream ended", false),
    ];

    /// <summary>A short reason for a failed run and whether retrying is unlikely to help, from ffmpeg's last stderr lines.</summary>
    public static (string Reason, bool Permanent) Classify(IEnumerable<string> lines, int? exitCode)
    {
        foreach (var line in lines.Reverse())
        foreach (var (needle, reason, permanent) in Known)
        {
            if (line.Contains(needle, StringComparison.OrdinalIgnoreCase)) return (reason, permanent);
        }
        var last = lines.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim();
        var exit = exitCode is { } c ? $"ffmpeg exited with code {c}" : "ffmpeg exited";
        return (last is null ? exit : $"{exit}: {last}", false);
    }
}
