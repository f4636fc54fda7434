using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace EdgeAi.Worker.Inference;

/// <summary>
/// Writes a manifest for a public detector export from the model itself: input/output names and shapes, Ultralytics
/// metadata (<c>names</c>, <c>imgsz</c>, <c>stride</c>) where present, sha256, and the output layout recognised from the
/// output shape. What it had to guess is returned as notes for the engineer to check.
/// </summary>
public static partial class ModelImporter
{
    /// <summary>Describes <paramref name="modelPath"/>; <paramref name="labels"/> (one per class) overrides the model's names.</summary>
    /// <param name="manifestDir">Where the manifest will be written: <c>file</c> is made relative to it.</param>
    public static (ModelManifest Manifest, List<string> Notes) Describe(string modelPath, IReadOnlyList<string>? labels, string manifestDir)
    {
        var notes = new List<string>();
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelManifestException($"{modelPath}: ONNX Runtime cannot load the model: {ex.Message}");
        }
        using (session)
        {
            var meta = session.ModelMetadata.CustomMetadataMap;
            var ultralytics = meta.ContainsKey("names") || (meta.TryGetValue("author", out var author) && author.Contains("Ultralytics", StringComparison.OrdinalIgnoreCase));
            if (session.InputMetadata.Count != 1)
                throw new ModelManifestException($"{modelPath}: input.name: the model has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); only one-image-input detectors are supported");
            var (inputName, input) = session.InputMetadata.First();
            var d = input.Dimensions;
            if (d.Length != 4 || (d[1] != 3 && d[1] != -1))
                throw new ModelManifestException($"{modelPath}: input.layout: input '{inputName}' is [{string.Join(",", d)}], not an NCHW image [N,3,H,W]");
            var (width, height) = (d[3], d[2]);
            if (width <= 0 || height <= 0)
            {
                var imgsz = meta.TryGetValue("imgsz", out var s) ? Ints(s) : [];
                (height, width) = imgsz.Count switch { 1 => (imgsz[0], imgsz[0]), >= 2 => (imgsz[0], imgsz[1]), _ => (640, 640) };
                notes.Add($"input size is dynamic; using {width}x{height} ({(imgsz.Count > 0 ? "Ultralytics imgsz" : "a guess: set input.width/height to the size it was trained at")})");
            }

            var outputs = session.OutputMetadata.Where(kv => kv.Value.Dimensions.Length == 3).ToList();
            if (outputs.Count == 0)
                throw new ModelManifestException($"{modelPath}: output.layout: no [batch, a, b] output (outputs: {string.Join(", ", session.OutputMetadata.Select(kv => $"{kv.Key} [{string.Join(",", kv.Value.Dimensions)}]"))}); " +
                    "supported: yolov8 [1,4+nc,N], yolov5/yolox [1,N,5+nc], end2end [1,N,6], rtdetr [1,Q,4+nc]");
            var (outputName, output) = outputs[0];
            if (session.OutputMetadata.Count > 1) notes.Add($"the model has {session.OutputMetadata.Count} outputs; using '{outputName}'");
            var (a, b) = (output.Dimensions[1], output.Dimensions[2]);
            if (a <= 0 || b <= 0) throw new ModelManifestException($"{modelPath}: output.layout: output '{outputName}' has dynamic dimensions [{string.Join(",", output.Dimensions)}]; export with a fixed input size");

            var names = labels ?? (meta.TryGetValue("names", out var n) ? ParseNames(n) : null);
            var strides = meta.TryGetValue("stride", out var st) && Ints(st) is [var maxStride] && maxStride > 32 ? Strides(maxStride) : [8, 16, 32];
            var grid = strides.Sum(s => (width / s) * (height / s));
            var description = meta.GetValueOrDefault("description", "");
            string layout;
            int nc;
            if (b == 6 && a != grid && a != 3 * grid) (layout, nc) = ("end2end", names?.Count ?? 0);
            else if (a < b) (layout, nc) = ("yolov8", a - 4);
            else if (description.Contains("RT-DETR", StringComparison.OrdinalIgnoreCase) || (names is not null && b - 4 == names.Count && b - 5 != names.Count)) (layout, nc) = ("rtdetr", b - 4);
            else if (a == grid && !ultralytics) (layout, nc) = ("yolox", b - 5);
            else (layout, nc) = ("yolov5", b - 5);
            if (layout == "yolox") notes.Add($"output [{a},{b}] is one point per grid cell for strides {string.Join("/", strides)}: YOLOX raw head (BGR, 0..255, top-left letterbox)");
            if (layout == "yolov5" && a != 3 * grid) notes.Add($"output [{a},{b}] read as yolov5 (cx,cy,w,h,objectness,classes in input pixels); check with --image");

            if (names is null)
            {
                names = Enumerable.Range(0, Math.Max(nc, 1)).Select(i => $"class{i}").ToList();
                notes.Add($"no class names in the model; wrote class0..class{names.Count - 1}: pass --labels FILE (one name per line) to name them");
            }
            else if (layout != "end2end" && names.Count != nc)
                throw new ModelManifestException($"{modelPath}: labels: {names.Count} names given, the {layout} output [{a},{b}] has {nc} classes");

            var yolox = layout == "yolox";
            var manifest = new ModelManifest
            {
                Name = meta.TryGetValue("name", out var nm) && nm.Length > 0 ? nm : Path.GetFileNameWithoutExtension(modelPath),
                Version = meta.TryGetValue("version", out var v) && v.Length > 0 ? v : "1",
                File = Path.GetRelativePath(manifestDir, modelPath),
                Sha256 = ModelManifestLoader.Sha256Of(modelPath),
                Input = new ManifestInput(inputName, (int)width, (int)height, Color: yolox ? "BGR" : "RGB", Scale: yolox ? 1f : 1 / 255f,
                    Letterbox: yolox ? "top-left" : "center", PadValue: 114),
                Output = new ManifestOutput(outputName, layout, yolox ? strides : null),
                Labels = names,
            };
            return (manifest, notes);
        }
    }

    private static int[] Strides(int max)
    {
        var list = new List<int>();
        for (var s = 8; s <= max; s *= 2) list.Add(s);
        return [.. list];
    }

    /// <summary>Ultralytics <c>names</c>: a Python dict literal, <c>{0: 'person', 1: 'bicycle'}</c>.</summary>
    internal static List<string>? ParseNames(string value)
    {
        var pairs = NamePattern().Matches(value).Select(m => (Index: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Name: m.Groups[3].Value)).ToList();
        if (pairs.Count == 0) return null;
        var names = new string[pairs.Max(p => p.Index) + 1];
        foreach (var (i, name) in pairs) names[i] = name;
        return names.Select((x, i) => x ?? $"class{i}").ToList();
    }

    private static List<int> Ints(string value) => IntPattern().Matches(value).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"(\d+)\s*:\s*(['""])(.*?)\2")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\d+")]
    private static partial Regex IntPattern();
}
