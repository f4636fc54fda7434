using EdgeAi.Testing;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>
/// The camera-scaling clip: a rendered crowding scene (models/scenegen, people on a plaza, so the detector finds persons
/// and the crowding rule fires) re-encoded as a 1080p25 H.264 camera stream with a fixed GOP (key frame every
/// <c>gop</c> frames, no B-frames). Made once and cached in .cache/clips/.
/// </summary>
internal static class BenchClip
{
    public static string Crowd1080p25(int gop, int seconds)
    {
        var path = Path.Combine(BenchPaths.Clips, $"bench-crowd-1080p25-g{gop}-{seconds}s.mp4");
        if (File.Exists(path)) return path;
        var source = Path.Combine(BenchPaths.Clips, "all", "demo-crowding.mp4");
        if (!File.Exists(source))
        {
            var dir = Path.Combine(BenchPaths.Clips, "bench-src");
            source = Path.Combine(dir, "bench-crowding-src.mp4");
            if (!File.Exists(source))
            {
                Progress.Say("cameras: rendering a crowding scene with models/scenegen (once)");
                Tool.Run("/usr/bin/python3", ["-c", "import sys; sys.path.insert(0, sys.argv[1]); from models.scenegen.render import main; main(sys.argv[2:])",
                    BenchPaths.Root, "--scenario", "crowding", "--seed", "44", "--variant", "gather", "--early", "--duration", "40",
                    "--name", "bench-crowding-src", "--out", dir]);
            }
        }
        Progress.Say($"cameras: encoding {Path.GetFileName(path)} (once)");
        var tmp = Path.Combine(BenchPaths.Clips, $".{Guid.NewGuid():N}.mp4");
        Tool.Run("ffmpeg", ["-v", "error", "-nostdin", "-y", "-ss", "10", "-i", source, "-t", seconds.ToString(),
            "-vf", "scale=1920:1080:flags=bicubic,fps=25", "-c:v", "libx264", "-preset", "veryfast", "-threads", "2",
            "-pix_fmt", "yuv420p", "-g", gop.ToString(), "-keyint_min", gop.ToString(), "-sc_threshold", "0", "-bf", "0",
            "-movflags", "+faststart", tmp]);
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
