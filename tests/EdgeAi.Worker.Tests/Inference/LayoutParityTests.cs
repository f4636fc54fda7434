using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAi.Testing;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Tests.Inference;

/// <summary>
/// Every output layout decoded by the real detector path (ONNX Runtime, FP16/int8 boundary, decoder, NMS) against an
/// independent numpy decoding of the same tensors: tests/data/layouts/make_layout_models.py builds one small reference
/// model per layout from known boxes and writes what its own decoder keeps to expected.json.
/// </summary>
public sealed class LayoutParityTests
{
    private static readonly string Dir = TestPaths.InRepo("tests", "data", "layouts");
    private static readonly JsonNode Expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")))!;

    public static TheoryData<string> Models() => [.. Expected.AsObject().Select(kv => kv.Key)];

    /// <summary>A manifest for one of the reference models, written to a temp dir.</summary>
    internal static string WriteManifest(string dir, string model, string layout, string[] labels, string color = "RGB", int? padValue = null, int[]? strides = null)
    {
        var onnx = Path.Combine(Dir, model + ".onnx");
        var m = new JsonObject
        {
            ["name"] = model, ["version"] = "1", ["file"] = onnx, ["sha256"] = ModelManifestLoader.Sha256Of(onnx),
            ["input"] = new JsonObject { ["name"] = "images", ["width"] = 64, ["height"] = 64, ["color"] = color, ["pad_value"] = padValue ?? 114 },
            ["output"] = new JsonObject { ["name"] = "output0", ["layout"] = layout },
            ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]),
            ["thresholds"] = new JsonObject { ["confidence"] = 0.35, ["iou"] = 0.5 },
        };
        if (strides is not null) m["output"]!["strides"] = new JsonArray([.. strides.Select(s => (JsonNode)s)]);
        var path = Path.Combine(dir, model + ".manifest.json");
        File.WriteAllText(path, m.ToJsonString());
        return path;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Detect_ReferenceModel_MatchesTheNumpyDecoding(string model)
    {
        var exp = Expected[model]!;
        var dir = TestPaths.NewTempDir("layouts");
        var labels = exp["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToArray();
        var manifest = ModelManifestLoader.Load(WriteManifest(dir, model, exp["layout"]!.GetValue<string>(), labels));
        using var detector = new OnnxDetector(manifest, new InferenceOptions { Threads = 1, BatchSize = 1 }, NullLogger.Instance);
        Assert.Equal(model.Contains("fp16", StringComparison.Ordinal) ? "float16" : "float32", detector.InputType);

        var results = new List<Detection.Detection>[] { [] };
        detector.Detect([new byte[64 * 64 * 3]], [LetterboxGeometry.Identity(64, 64)], results);

        var want = exp["detections"]!.AsArray();
        var got = results[0].OrderByDescending(d => d.Confidence).ToList();
        Assert.True(want.Count == got.Count, $"{model}: {got.Count} detections, reference {want.Count}: {string.Join("; ", got)}");
        for (var i = 0; i < got.Count; i++)
        {
            var w = want[i]!;
            Assert.Equal(w["class"]!.GetValue<int>(), got[i].ClassId);
            Assert.Equal(labels[got[i].ClassId], got[i].Label);
            Assert.InRange(got[i].Confidence, w["score"]!.GetValue<float>() - 1e-4f, w["score"]!.GetValue<float>() + 1e-4f);
            var box = w["box"]!.AsArray().Select(v => v!.GetValue<float>() / 64f).ToArray();
            float[] actual = [got[i].Box.X1, got[i].Box.Y1, got[i].Box.X2, got[i].Box.Y2];
            for (var k = 0; k < 4; k++) Assert.True(Math.Abs(box[k] - actual[k]) < 1e-3f / 64 * 10, $"{model} #{i} coord {k}: {actual[k] * 64} vs reference {box[k] * 64}");
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Load_Int8Output_RefusedNamingOutputName()
    {
        var dir = TestPaths.NewTempDir("layouts");
        var manifest = ModelManifestLoader.Load(WriteManifest(dir, "int8-output", "yolov8", ["person", "litter", "car"]));
        var ex = Assert.Throws<ModelManifestException>(() => new OnnxDetector(manifest, new InferenceOptions(), NullLogger.Instance));
        Assert.Contains("output.name", ex.Message);
        Assert.Contains("Int8", ex.Message);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("yolox", "yolox", new[] { 8, 16 }, "strides 8, 16 over 64x64 give 80")]
    [InlineData("yolov8", "yolov5", null, "yolov5 output has 79 classes")]
    [InlineData("yolov5", "yolov8", null, "looks transposed")]
    [InlineData("rtdetr", "end2end", null, "end2end output is [detections, 6]")]
    public void Load_OutputShapeNotTheDeclaredLayout_RefusedWithReason(string model, string layout, int[]? strides, string reason)
    {
        var dir = TestPaths.NewTempDir("layouts");
        var manifest = ModelManifestLoader.Load(WriteManifest(dir, model, layout, ["person", "litter", "car"], strides: strides));
        var ex = Assert.Throws<ModelManifestException>(() => new OnnxDetector(manifest, new InferenceOptions(), NullLogger.Instance));
        Assert.Contains("output.layout", ex.Message);
        Assert.Contains(reason, ex.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Load_LabelCountDiffersFromTheModel_RefusedWithReason()
    {
        var dir = TestPaths.NewTempDir("layouts");
        var manifest = ModelManifestLoader.Load(WriteManifest(dir, "yolov8", "yolov8", ["person", "litter"]));
        var ex = Assert.Throws<ModelManifestException>(() => new OnnxDetector(manifest, new InferenceOptions(), NullLogger.Instance));
        Assert.Contains("has 3 classes", ex.Message);
        Assert.Contains("lists 2 labels", ex.Message);
        Directory.Delete(dir, true);
    }
}
