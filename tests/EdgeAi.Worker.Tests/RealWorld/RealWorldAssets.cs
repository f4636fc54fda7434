using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeAi.Testing;
using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Tests.RealWorld;

/// <summary>
/// The real public model and footage in <c>../shared/realworld/</c> (beside the checkout; never copied into the repository):
/// YOLOX-Nano (COCO) and OpenCV's vtest.avi. Tests fail with a message saying where to get them when they are absent.
/// </summary>
internal static class RealWorldAssets
{
    public static string Dir { get; } = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "realworld"));

    public static string Yolox => Require("yolox_nano.onnx", "the YOLOX release asset yolox_nano.onnx (Megvii YOLOX, Apache-2.0)");

    public static string Vtest => Require("vtest.avi", "Debian opencv-doc 4.6.0: usr/share/doc/opencv-doc/examples/data/vtest.avi (apt-get download opencv-doc)");

    public static IReadOnlyList<string> CocoLabels { get; } = File.ReadAllLines(TestPaths.InRepo("tests", "data", "realworld", "coco.names")).Where(l => l.Length > 0).ToList();

    private static string Require(string name, string source)
    {
        var path = Path.Combine(Dir, name);
        if (!File.Exists(path))
            Assert.Fail($"real-world test asset missing: {path}. Put {name} there (from {source}; see ../shared/realworld/README.md); it is never copied into the repository.");
        return path;
    }

    /// <summary>A manifest for YOLOX-Nano as its README describes it (BGR, 0..255, top-left pad 114, strides 8/16/32).</summary>
    public static string WriteYoloxManifest(string dir, float confidence = 0.3f, float iou = 0.45f)
    {
        var m = new JsonObject
        {
            ["name"] = "yolox-nano", ["version"] = "coco", ["file"] = Yolox, ["sha256"] = ModelManifestLoader.Sha256Of(Yolox),
            ["input"] = new JsonObject { ["name"] = "images", ["width"] = 416, ["height"] = 416, ["color"] = "BGR", ["scale"] = 1, ["letterbox"] = "top-left", ["pad_value"] = 114 },
            ["output"] = new JsonObject { ["name"] = "output", ["layout"] = "yolox", ["strides"] = new JsonArray(8, 16, 32) },
            ["labels"] = new JsonArray([.. CocoLabels.Select(l => (JsonNode)l)]),
            ["thresholds"] = new JsonObject { ["confidence"] = confidence, ["iou"] = iou },
        };
        var path = Path.Combine(dir, "yolox-nano.manifest.json");
        File.WriteAllText(path, m.ToJsonString());
        return path;
    }

    /// <summary>Frames of vtest.avi at <paramref name="seconds"/>, written losslessly as PNG (the same pixels for both decoders).</summary>
    public static List<string> ExtractFrames(string dir, params int[] seconds)
    {
        var list = new List<string>();
        foreach (var s in seconds)
        {
            var png = Path.Combine(dir, $"vtest-{s:000}s.png");
            Run("ffmpeg", ["-v", "error", "-y", "-ss", s.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", Vtest, "-frames:v", "1", png]);
            list.Add(png);
        }
        return list;
    }

    /// <summary>The libonnxruntime.so the build put beside the tests (npm or NuGet layout).</summary>
    public static string OrtLibrary => Directory.EnumerateFiles(AppContext.BaseDirectory, "libonnxruntime.so", SearchOption.AllDirectories)
        .OrderBy(p => p.Contains("linux-x64", StringComparison.Ordinal) ? 0 : 1).FirstOrDefault()
        ?? throw new FileNotFoundException($"no libonnxruntime.so under {AppContext.BaseDirectory}");

    public static string Run(string tool, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(3))) { p.Kill(true); Assert.Fail($"{tool} did not finish"); }
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', psi.ArgumentList)} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
