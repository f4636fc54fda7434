using BenchmarkDotNet.Attributes;
using EdgeAi.Bench.EndToEnd;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Bench.Micro;

/// <summary>
/// The steady-state frame path after decode. Letterboxing and scaling 1080p to the model size happen inside ffmpeg
/// (<c>scale,pad,format=gbrp</c>; measured by the decode ratio), so what the worker itself does per frame is
/// <see cref="Preprocessor.Fill"/> (normalise a planar 640×640 frame into the float tensor) and then the whole detector
/// call (preprocess + ORT Run + decode + NMS) on the bundled 320×320 model. The allocation column is the check that no
/// frame-sized buffer is allocated per frame.
/// </summary>
[MemoryDiagnoser]
public class FramePathBenchmarks
{
    private Preprocessor _preprocessor = null!;
    private byte[] _planar640 = [];
    private float[] _tensor640 = [];
    private OnnxDetector _detector = null!;
    private ReadOnlyMemory<byte>[] _frames = [];
    private LetterboxGeometry[] _geometries = [];
    private List<Worker.Detection.Detection>[] _results = [];

    [GlobalSetup]
    public void Setup()
    {
        var input = new ManifestInput("images", 640, 640);
        _preprocessor = new Preprocessor(input);
        _planar640 = new byte[_preprocessor.FrameBytes];
        new Random(1).NextBytes(_planar640);
        _tensor640 = new float[_preprocessor.TensorFloats];

        var manifest = ModelManifestLoader.Load(BenchPaths.DemoManifest);
        _detector = new OnnxDetector(manifest, new InferenceOptions { Threads = Environment.ProcessorCount, BatchSize = 1 }, NullLogger.Instance);
        var frame = new byte[_detector.FrameBytes];
        new Random(2).NextBytes(frame);
        _frames = [frame];
        _geometries = [LetterboxGeometry.For(1920, 1080, manifest.Input.Width, manifest.Input.Height)];
        _results = [new List<Worker.Detection.Detection>(64)];
    }

    [GlobalCleanup]
    public void Cleanup() => _detector.Dispose();

    /// <summary>Planar GBR 640×640 bytes → normalised RGB float tensor (1×3×640×640).</summary>
    [Benchmark]
    public void Normalise640() => _preprocessor.Fill(_planar640, _tensor640);

    /// <summary>One frame through the worker's detector: preprocess + ONNX Runtime Run + YOLOv8 decode + NMS (demo model, 320×320).</summary>
    [Benchmark]
    public void DetectFrame320()
    {
        _results[0].Clear();
        _detector.Detect(_frames, _geometries, _results);
    }
}
