using EdgeAi.Testing;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Tests.Inference;

public sealed class ModelManifestLoaderTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("manifest");

    private string CopyTiny(Func<string, string>? edit = null)
    {
        File.Copy(TestPaths.InRepo("tests", "data", "tiny_detector.onnx"), Path.Combine(_dir, "tiny_detector.onnx"), true);
        var json = File.ReadAllText(TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json"));
        var path = Path.Combine(_dir, "m.json");
        File.WriteAllText(path, edit is null ? json : edit(json));
        return path;
    }

    [Fact]
    public void Load_Valid_ReadsEverything()
    {
        var m = ModelManifestLoader.Load(CopyTiny());
        Assert.Equal("tiny-detector", m.Name);
        Assert.Equal("yolov8", m.Output.Layout);
        Assert.Equal(["bright"], m.Labels);
        Assert.Equal(64, m.Input.Width);
    }

    [Fact]
    public void Load_Sha256Mismatch_NamesFileAndField()
    {
        var path = CopyTiny();
        File.AppendAllText(Path.Combine(_dir, "tiny_detector.onnx"), "tampered");
        var ex = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));
        Assert.Contains("m.json: sha256:", ex.Message);
        Assert.Contains("tiny_detector.onnx has sha256", ex.Message);
    }

    [Fact]
    public void Load_MissingModelFile_NamesField()
    {
        var path = CopyTiny(j => j.Replace("\"file\": \"tiny_detector.onnx\"", "\"file\": \"nope.onnx\""));
        var ex = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));
        Assert.Contains("file: model file", ex.Message);
        Assert.Contains("nope.onnx not found", ex.Message);
    }

    [Fact]
    public void Load_UnknownLayoutAndBadThreshold_ReportsBoth()
    {
        var path = CopyTiny(j => j.Replace("\"yolov8\"", "\"yolov9x\"").Replace("\"confidence\": 0.5", "\"confidence\": 1.5"));
        var ex = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(path));
        Assert.Contains("output.layout: 'yolov9x' is not one of yolov8, yolov5, yolox, end2end, rtdetr", ex.Message);
        Assert.Contains("thresholds.confidence: 1.5 must be in (0, 1)", ex.Message);
    }

    [Fact]
    public void OnnxDetector_InputSizeDisagreesWithModel_RefusesWithField()
    {
        var path = CopyTiny(j => j.Replace("\"width\": 64", "\"width\": 96"));
        var m = ModelManifestLoader.Load(path);
        var ex = Assert.Throws<ModelManifestException>(() => new OnnxDetector(m, new InferenceOptions(), NullLogger.Instance));
        Assert.Contains("input.width/height: model input is 64x64, manifest says 96x64", ex.Message);
    }

    [Theory]
    [InlineData(ExecutionProvider.Cuda)]
    [InlineData(ExecutionProvider.TensorRt)]
    public void OnnxDetector_GpuProviderRequestedWithoutGpu_FallsBackToCpuWithFlag(ExecutionProvider provider)
    {
        var m = ModelManifestLoader.Load(CopyTiny());
        using var d = new OnnxDetector(m, new InferenceOptions { ExecutionProvider = provider, GpuDeviceId = 0 }, NullLogger.Instance);
        if (d.ExecutionProvider == provider) return;   // a GPU box with this provider: nothing to fall back from
        Assert.True(d.FellBackToCpu);
        Assert.Equal(ExecutionProvider.Cpu, d.ExecutionProvider);
        Assert.False(string.IsNullOrEmpty(d.FallbackReason));
        var results = new List<EdgeAi.Worker.Detection.Detection>();
        d.Detect([new byte[d.FrameBytes]], [LetterboxGeometry.Identity(m.Input.Width, m.Input.Height)], [results]);   // and it runs on CPU
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
