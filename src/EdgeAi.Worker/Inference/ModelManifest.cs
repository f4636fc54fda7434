using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeAi.Worker.Inference;

/// <summary>
/// Describes a detector beside its <c>.onnx</c> file: identity, integrity, input format, output layout, labels
/// and default thresholds. The gateway loads any model described this way; nothing is tied to one model.
/// </summary>
public sealed record ModelManifest
{
    public required string Name { get; init; }
    public required string Version { get; init; }

    /// <summary>File name of the ONNX model, relative to the manifest.</summary>
    public required string File { get; init; }

    /// <summary>Lower-case hex SHA-256 of the ONNX file; checked at start.</summary>
    public required string Sha256 { get; init; }

    public required ManifestInput Input { get; init; }
    public required ManifestOutput Output { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public ManifestThresholds Thresholds { get; init; } = new();

    /// <summary>Where the manifest was read from (not serialised); used in error messages.</summary>
    [JsonIgnore] public string Path { get; init; } = "";

    [JsonIgnore] public string ModelPath => System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path) ?? ".", File));
}

/// <param name="Layout">NCHW (only layout supported).</param>
/// <param name="Scale">Multiplier applied to 0..255 pixel values before mean/std, typically 1/255.</param>
/// <param name="PadValue">Letterbox padding, 0..255 (114 as in Ultralytics).</param>
public sealed record ManifestInput(
    string Name, int Width, int Height, string Layout = "NCHW", string Color = "RGB",
    float Scale = 1 / 255f, float[]? Mean = null, float[]? Std = null, bool Letterbox = true, int PadValue = 114);

/// <param name="Layout">yolov8 ([1,4+nc,N], also YOLO11), yolov5 ([1,N,5+nc]) or end2end ([1,N,6]: x1,y1,x2,y2,score,class).</param>
public sealed record ManifestOutput(string Name, string Layout);

public sealed record ManifestThresholds(float Confidence = 0.35f, float Iou = 0.5f);

/// <summary>Source-generated JSON for manifests (snake_case like the files written by models/train_detector.py).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
