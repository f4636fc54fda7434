using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeAi.Worker.Inference;

/// <summary>A model manifest or model file is unusable; the message names the file and field.</summary>
public sealed class ModelManifestException(string message) : Exception(message);

/// <summary>Reads and validates a manifest and its ONNX file (existence, SHA-256, declared format).</summary>
public static class ModelManifestLoader
{
    public static readonly string[] Layouts = ["yolov8", "yolov5", "yolox", "end2end", "rtdetr"];

    /// <summary>Loads <paramref name="manifestPath"/>; throws <see cref="ModelManifestException"/> listing every problem.</summary>
    public static ModelManifest Load(string manifestPath, bool verifyHash = true)
    {
        var full = Path.GetFullPath(manifestPath);
        if (!File.Exists(full)) throw new ModelManifestException($"{full}: model manifest not found");
        ModelManifest? m;
        try
        {
            m = JsonSerializer.Deserialize(File.ReadAllBytes(full), ManifestJsonContext.Default.ModelManifest);
        }
        catch (JsonException ex)
        {
            throw new ModelManifestException($"{full}: {(ex.Path is { } p ? p + ": " : "")}{ex.Message}");
        }
        if (m is null) throw new ModelManifestException($"{full}: empty manifest");
        m = m with { Path = full };

        var errors = new List<string>();
        if (m.Input.Width < 8 || m.Input.Height < 8) errors.Add($"input.width/height: {m.Input.Width}x{m.Input.Height} is too small");
        if (!string.Equals(m.Input.Layout, "NCHW", StringComparison.OrdinalIgnoreCase)) errors.Add($"input.layout: '{m.Input.Layout}' is not supported (NCHW)");
        if (m.Input.Color is not ("RGB" or "BGR")) errors.Add($"input.color: '{m.Input.Color}' must be RGB or BGR");
        if (m.Input.Mean is { Length: not 3 }) errors.Add("input.mean: needs 3 values");
        if (m.Input.Std is { Length: not 3 } || m.Input.Std?.Any(s => s <= 0) == true) errors.Add("input.std: needs 3 positive values");
        if (m.Input.Scale is <= 0 or > 1 || !float.IsFinite(m.Input.Scale)) errors.Add($"input.scale: {m.Input.Scale} must be in (0, 1] (1/255 for Ultralytics, 1 for YOLOX)");
        if (ImageFit.ParseMode(m.Input.Letterbox) is null) errors.Add($"input.letterbox: '{m.Input.Letterbox}' is not one of {string.Join(", ", ImageFit.Modes)}");
        if (m.Input.PadValue is < 0 or > 255) errors.Add($"input.pad_value: {m.Input.PadValue} must be a pixel value 0..255");
        if (!Layouts.Contains(m.Output.Layout)) errors.Add($"output.layout: '{m.Output.Layout}' is not one of {string.Join(", ", Layouts)}");
        if (m.Output.Strides is { } strides)
        {
            if (m.Output.Layout != "yolox") errors.Add($"output.strides: only used by the yolox layout, not {m.Output.Layout}");
            else if (strides.Length == 0 || strides.Any(s => s <= 0 || m.Input.Width % s != 0 || m.Input.Height % s != 0))
                errors.Add($"output.strides: [{string.Join(", ", strides)}] must be positive and divide the input size {m.Input.Width}x{m.Input.Height}");
        }
        else if (m.Output.Layout == "yolox" && (m.Input.Width % 32 != 0 || m.Input.Height % 32 != 0))
            errors.Add($"output.strides: the default 8, 16, 32 do not divide the input size {m.Input.Width}x{m.Input.Height}; list the model's strides");
        if (m.Labels.Count == 0) errors.Add("labels: at least one label is required");
        if (m.Thresholds.Confidence is <= 0 or >= 1) errors.Add($"thresholds.confidence: {m.Thresholds.Confidence} must be in (0, 1)");
        if (m.Thresholds.Iou is <= 0 or > 1) errors.Add($"thresholds.iou: {m.Thresholds.Iou} must be in (0, 1]");
        if (!File.Exists(m.ModelPath)) errors.Add($"file: model file {m.ModelPath} not found");
        else if (verifyHash)
        {
            var actual = Sha256Of(m.ModelPath);
            if (!string.Equals(actual, m.Sha256, StringComparison.OrdinalIgnoreCase))
                errors.Add($"sha256: {m.ModelPath} has sha256 {actual}, manifest says {m.Sha256}");
        }
        if (errors.Count > 0) throw new ModelManifestException(string.Join(Environment.NewLine, errors.Select(e => $"{full}: {e}")));
        return m;
    }

    public static string Sha256Of(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
