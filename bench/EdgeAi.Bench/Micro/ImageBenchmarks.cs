using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using EdgeAi.Bench.EndToEnd;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Quality;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;
using OpenCvSharp;

namespace EdgeAi.Bench.Micro;

/// <summary>
/// The worker's image work on real CCTV frames (<c>../shared/realworld/vtest.avi</c>, decoded by ffmpeg at setup):
/// evidence for one event (copy, privacy blur of two persons, zone and boxes, snapshot + crop JPEG) at a 640-pixel
/// model's content size (640×360), a 1920×1080 JPEG encode, and the video quality diagnosis of one analysed frame
/// at the bundled 320-pixel model input (letterboxed planar GBR, as the detector gets it).
/// </summary>
[MemoryDiagnoser]
public class ImageBenchmarks
{
    private const int FrameCount = 8;
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    private byte[] _bgr1080Bytes = [];
    private byte[] _rgb360 = [];
    private byte[][] _planar320 = [];
    private LetterboxGeometry _geometry320;
    private EvidenceRenderer _renderer = null!;
    private EpisodeEvent _episode = null!;
    private TrackedObject[] _frameObjects = [];
    private Mat _bgr1080 = null!;
    private ImageEncodingParam[] _jpeg85 = [];
    private GrayFrame _grey = null!;
    private QualityAnalyzer _analyzer = null!;
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        _bgr1080Bytes = Decode("scale=1920:1080", "bgr24", 1, 1920 * 1080 * 3)[0];
        _rgb360 = Decode("scale=640:360", "rgb24", 1, 640 * 360 * 3)[0];
        _geometry320 = LetterboxGeometry.For(768, 576, 320, 320);
        var g = _geometry320;
        _planar320 = Decode($"scale={g.ContentWidth}:{g.ContentHeight},pad=320:320:{g.PadX}:{g.PadY}:color=0x727272,format=gbrp", "gbrp", FrameCount, 320 * 320 * 3);

        _renderer = new EvidenceRenderer();
        var zone = new Zone(new ZoneConfig { Id = "z", Type = ZoneTypes.Plaza, Polygon = [[0.05, 0.3], [0.95, 0.3], [0.95, 0.95], [0.05, 0.95]] }, 0);
        TrackedObject Obj(long id, string label, BoxF box) => new(id, label == "person" ? 0 : 1, label, 0.87f, box, T0, T0, 3, true, 0, 0, 0, 0);
        var objects = new[] { Obj(1, "person", new BoxF(0.30f, 0.35f, 0.38f, 0.80f)), Obj(2, "person", new BoxF(0.55f, 0.30f, 0.62f, 0.78f)), Obj(3, "litter", new BoxF(0.45f, 0.80f, 0.50f, 0.86f)) };
        _frameObjects = objects;
        _episode = new EpisodeEvent(EventType.Started, Guid.CreateVersion7(T0), "cam-1", "crowding", zone,
            new RuleEvaluation("crowding.min_persons", new Dictionary<string, double>(), new Dictionary<string, double>()),
            objects, T0, 768, 576, T0, true);
        _bgr1080 = Mat.FromPixelData(1080, 1920, MatType.CV_8UC3, _bgr1080Bytes);
        _jpeg85 = [new ImageEncodingParam(ImwriteFlags.JpegQuality, 85)];
        _grey = new GrayFrame();
        _analyzer = new QualityAnalyzer(new QualityOptions());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _renderer.Dispose();
        _bgr1080.Dispose();
        _grey.Dispose();
        _analyzer.Dispose();
    }

    /// <summary>Evidence of one event at 640×360: copy, blur two persons, zone + three boxes, snapshot JPEG (q85) + crop JPEG (q90).</summary>
    [Benchmark]
    public int EvidenceRender640() => _renderer.Render(_rgb360, 640, 360, _episode, _frameObjects).Snapshot.Length;

    /// <summary>One 1920×1080 BGR frame to JPEG, quality 85, 4:2:0 (OpenCV's default sampling).</summary>
    [Benchmark]
    public int JpegEncode1080()
    {
        Cv2.ImEncode(".jpg", _bgr1080, out var jpeg, _jpeg85);
        return jpeg.Length;
    }

    /// <summary>Quality diagnosis of one analysed frame: 320×320 letterboxed planar GBR → ~160-pixel grey copy → all checks.</summary>
    [Benchmark]
    public int QualityAnalyze320()
    {
        var frame = _planar320[_frame++ % FrameCount];
        return _analyzer.Analyze(_grey.From(frame, _geometry320, 160), T0.AddSeconds(_frame)).Flags.Count;
    }

    /// <summary>Frames of the real CCTV clip through ffmpeg's filter <paramref name="filter"/>, raw <paramref name="pixelFormat"/>.</summary>
    private static byte[][] Decode(string filter, string pixelFormat, int frames, int frameBytes)
    {
        var clip = Path.GetFullPath(Path.Combine(BenchPaths.Root, "..", "shared", "realworld", "vtest.avi"));
        if (!File.Exists(clip)) throw new FileNotFoundException($"the image benchmarks need the real CCTV clip {clip} (../shared/realworld)", clip);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-v", "error", "-nostdin", "-i", clip, "-vf", filter, "-frames:v", $"{frames}", "-f", "rawvideo", "-pix_fmt", pixelFormat, "pipe:1"])
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var result = new byte[frames][];
        for (var i = 0; i < frames; i++)
        {
            result[i] = new byte[frameBytes];
            p.StandardOutput.BaseStream.ReadExactly(result[i]);
        }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {stderr.Result}");
        return result;
    }
}
