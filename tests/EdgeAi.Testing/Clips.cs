
namespace EdgeAi.Testing;

/// <summary>
/// Deterministic H.264 test clips made with ffmpeg (lavfi sources, libx264 single-threaded), cached in
/// .cache/clips/ and reused across runs. Safe when several test processes ask for the same clip at once:
/// each writes a temporary file and renames it into place.
/// </summary>
public static class Clips
{
    public static string Dir => Directory.CreateDirectory(Path.Combine(TestPaths.Cache, "clips")).FullName;

    /// <summary>A moving test pattern (testsrc2) with a key frame every <paramref name="gop"/> frames, no B-frames.</summary>
    public static string TestPattern(int width = 640, int height = 360, int fps = 25, int seconds = 4, int gop = 25) =>
        Make($"testsrc2-{width}x{height}-{fps}fps-{seconds}s-g{gop}.mp4",
            ["-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={fps}", "-t", seconds.ToString()], gop);

    /// <summary>A frozen picture (one still frame repeated) — for video-quality diagnosis.</summary>
    public static string Frozen(int width = 640, int height = 360, int fps = 25, int seconds = 4) =>
        Make($"frozen-{width}x{height}-{fps}fps-{seconds}s.mp4",
            ["-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={fps}", "-vf", "trim=end_frame=1,loop=loop=-1:size=1,setpts=N/FRAME_RATE/TB", "-t", seconds.ToString()], fps);

    /// <summary>An all-black clip — for video-quality diagnosis.</summary>
    public static string Black(int width = 640, int height = 360, int fps = 25, int seconds = 4) =>
        Make($"black-{width}x{height}-{fps}fps-{seconds}s.mp4",
            ["-f", "lavfi", "-i", $"color=c=black:size={width}x{height}:rate={fps}", "-t", seconds.ToString()], fps);

    private static string Make(string name, string[] input, int gop)
    {
        var path = Path.Combine(Dir, name);
        if (File.Exists(path)) return path;
        var tmp = Path.Combine(Dir, $".{Guid.NewGuid():N}.mp4");
        var (code, err) = Tool.Exec("ffmpeg", ["-v", "error", "-nostdin", "-y", .. input, "-c:v", "libx264", "-preset", "veryfast",
            "-threads", "1", "-pix_fmt", "yuv420p", "-g", gop.ToString(), "-keyint_min", gop.ToString(),
            "-sc_threshold", "0", "-bf", "0", "-movflags", "+faststart", tmp]);
        if (code != 0) throw new InvalidOperationException($"ffmpeg could not make clip {name}: {err}");
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
