using System.Text.Json.Nodes;
using EdgeAi.Testing;
using EdgeAi.Worker.Tests.Cli;
using Xunit.Abstractions;

namespace EdgeAi.Worker.Tests.RealWorld;

/// <summary>
/// A real public export (YOLOX-Nano, COCO) on real CCTV footage (vtest.avi) through <c>edgeai detect</c>, against a
/// reference decoding of the same model that shares no code with ours (tests/data/realworld/yolox_reference.py: ffmpeg,
/// numpy letterbox, ONNX Runtime's C API through ctypes, numpy grid decode and NMS).
/// </summary>
public sealed class YoloxRealFootageTests(ITestOutputHelper output)
{
    private static readonly int[] Seconds = [5, 20, 35, 50, 65];

    /// <summary>
    /// Strict parity: the reference resamples with ffmpeg's bilinear scaler like the worker's ingest (everything else —
    /// padding, BGR order, the ONNX Runtime call, grid decode, NMS — its own), so the same persons with IoU ≥ 0.9 each.
    /// Independent letterbox: the reference's own numpy resize (as cv2.INTER_LINEAR) moves small boxes by a pixel or two;
    /// person counts still agree within one per frame and the mean IoU stays ≥ 0.9.
    /// </summary>
    [Fact]
    public async Task Detect_VtestFrames_PersonsMatchTheReferenceDecoding()
    {
        var dir = TestPaths.NewTempDir("yolox");
        var manifest = RealWorldAssets.WriteYoloxManifest(dir);
        var pictures = RealWorldAssets.ExtractFrames(dir, Seconds);
        JsonArray Reference(string resize) => JsonNode.Parse(RealWorldAssets.Run("/usr/bin/python3",
            [TestPaths.InRepo("tests", "data", "realworld", "yolox_reference.py"), RealWorldAssets.OrtLibrary, RealWorldAssets.Yolox, "0.3", "0.45", resize, .. pictures]))!.AsArray();
        var strict = Reference("ffmpeg");
        var own = Reference("numpy");

        var totalPersons = 0;
        var ownIoUs = new List<float>();
        for (var i = 0; i < pictures.Count; i++)
        {
            var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["detect", "--model", manifest, "--json", pictures[i]]);
            Assert.True(code == 0, $"exit {code}: {stderr}");
            var ours = JsonNode.Parse(stdout)!["frames"]![0]!["detections"]!.AsArray()
                .Where(d => d!["class"]!.GetValue<string>() == "person").Select(d => Box(d!["box"]!)).ToList();
            List<float[]> Persons(JsonArray r) => r[i]!["detections"]!.AsArray()
                .Where(d => d!["class_id"]!.GetValue<int>() == 0).Select(d => Box(d!["box"]!)).ToList();
            var theirs = Persons(strict);
            var ious = MatchedIoUs(ours, theirs);
            var ownPersons = Persons(own);
            var ownMatched = MatchedIoUs(ours, ownPersons);
            ownIoUs.AddRange(ownMatched);
            output.WriteLine($"{Path.GetFileName(pictures[i])}: {ours.Count} persons; reference (ffmpeg resize) {theirs.Count}, IoU min {(ious.Count > 0 ? ious.Min() : 0):0.000}; " +
                $"reference (numpy resize) {ownPersons.Count}, IoU min {(ownMatched.Count > 0 ? ownMatched.Min() : 0):0.000} mean {(ownMatched.Count > 0 ? ownMatched.Average() : 0):0.000}");
            Assert.Equal(theirs.Count, ours.Count);
            Assert.Equal(theirs.Count, ious.Count);
            Assert.All(ious, v => Assert.True(v >= 0.9, $"{pictures[i]}: a matched person box has IoU {v:0.000} < 0.9"));
            Assert.InRange(ownPersons.Count, ours.Count - 1, ours.Count + 1);
            totalPersons += ours.Count;
        }
        Assert.True(ownIoUs.Average() >= 0.9, $"mean IoU against the numpy-resize reference {ownIoUs.Average():0.000}");
        Assert.True(totalPersons >= 20, $"only {totalPersons} persons on {pictures.Count} frames of a busy campus road (README: about 7 per frame)");
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task ModelsImport_Yolox_RecognisesTheLayoutAndChecksARealPicture()
    {
        var dir = TestPaths.NewTempDir("yolox-import");
        var picture = RealWorldAssets.ExtractFrames(dir, 20)[0];
        var manifest = Path.Combine(dir, "yolox.manifest.json");
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["models", "import", RealWorldAssets.Yolox, "--labels",
            TestPaths.InRepo("tests", "data", "realworld", "coco.names"), "--output", manifest, "--image", picture]);
        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");
        var m = JsonNode.Parse(await File.ReadAllTextAsync(manifest))!;
        Assert.Equal("yolox", m["output"]!["layout"]!.GetValue<string>());
        Assert.Equal("BGR", m["input"]!["color"]!.GetValue<string>());
        Assert.Equal("top-left", m["input"]!["letterbox"]!.GetValue<string>());
        Assert.Equal(1f, m["input"]!["scale"]!.GetValue<float>());
        Assert.Equal(416, m["input"]!["width"]!.GetValue<int>());
        Assert.Matches(@"\d+ detections \(\d+ person", stdout);

        // The same model declared yolov5 (what a new user tried): verify on the real picture refuses it by key.
        m["output"] = new JsonObject { ["name"] = "output", ["layout"] = "yolov5" };
        var wrong = Path.Combine(dir, "wrong.manifest.json");
        await File.WriteAllTextAsync(wrong, m.ToJsonString());
        (code, stdout, stderr) = await EdgeAiCli.RunAsync(["models", "verify", wrong, "--image", picture]);
        Assert.Equal(78, code);
        Assert.Contains("output.layout", stderr);
        Assert.Contains("yolov5", stderr);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Detect_Annotate_WritesTheRealSceneWithBoxes()
    {
        var dir = TestPaths.NewTempDir("yolox-annot");
        var manifest = RealWorldAssets.WriteYoloxManifest(dir);
        var jpg = Path.Combine(dir, "annotated.jpg");
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["detect", "--model", manifest, RealWorldAssets.Vtest, "--frames", "3", "--annotate", jpg]);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("3 frames of 768x576", stdout);
        using var image = OpenCvSharp.Cv2.ImDecode(await File.ReadAllBytesAsync(jpg), OpenCvSharp.ImreadModes.Color);
        var (w, h) = (image.Width, image.Height);
        double min, max;
        using (var channels = image.Reshape(1)) channels.MinMaxLoc(out min, out max);   // over every channel value
        Assert.Equal((416, 312), (w, h));   // the letterbox content: what the model saw, with the source's aspect
        // A real scene, not a blank or padded frame: the grass and road give a wide spread of pixel values.
        Assert.True(max - min > 150, $"annotated frame spans only {min}..{max}");
        Directory.Delete(dir, true);
    }

    private static float[] Box(JsonNode b) => b.AsArray().Select(v => v!.GetValue<float>()).ToArray();

    /// <summary>Greedy one-to-one matching by IoU (best pairs first); the IoUs of the pairs.</summary>
    private static List<float> MatchedIoUs(List<float[]> a, List<float[]> b)
    {
        var pairs = (from i in Enumerable.Range(0, a.Count) from j in Enumerable.Range(0, b.Count) select (i, j, iou: IoU(a[i], b[j])))
            .Where(p => p.iou > 0.3f).OrderByDescending(p => p.iou).ToList();
        var usedA = new HashSet<int>();
        var usedB = new HashSet<int>();
        var result = new List<float>();
        foreach (var (i, j, iou) in pairs)
        {
            if (usedA.Contains(i) || usedB.Contains(j)) continue;
            usedA.Add(i);
            usedB.Add(j);
            result.Add(iou);
        }
        return result;
    }

    private static float IoU(float[] a, float[] b)
    {
        var iw = Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]);
        var ih = Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        var inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }
}
