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
/// <param name="Color">Channel order of the input tensor: RGB (Ultralytics) or BGR (YOLOX, OpenCV-trained models).</param>
/// <param name="Scale">Multiplier applied to 0..255 pixel values before mean/std, typically 1/255 (1 for YOLOX).</param>
/// <param name="Letterbox">How the frame is fitted into the input: <c>center</c> (aspect kept, padded on both sides:
/// Ultralytics; <c>true</c> means this), <c>top-left</c> (aspect kept, padded right/bottom: YOLOX) or <c>stretch</c>
/// (resized to the input, aspect not kept; <c>false</c> means this).</param>
/// <param name="PadValue">Letterbox padding, 0..255, all three channels (114 as in Ultralytics and YOLOX).</param>
public sealed record ManifestInput(
    string Name, int Width, int Height, string Layout = "NCHW", string Color = "RGB",
    float Scale = 1 / 255f, float[]? Mean = null, float[]? Std = null,
    [property: JsonConverter(typeof(LetterboxJsonConverter))] string Letterbox = "center", int PadValue = 114)
{
    /// <summary>The letterbox mode and pad value as used by ingest; only valid after the loader has checked them.</summary>
    [JsonIgnore]
    public ImageFit Fit => new(ImageFit.ParseMode(Letterbox) ?? LetterboxMode.Center, (byte)Math.Clamp(PadValue, 0, 255));
}

/// <param name="Layout">yolov8 ([1,4+nc,N], also YOLO11), yolov5 ([1,N,5+nc]), yolox ([1,N,5+nc] raw grid outputs,
/// decoded with <paramref name="Strides"/>), end2end ([1,N,6]: x1,y1,x2,y2,score,class, NMS inside: YOLOv10, Ultralytics
/// <c>nms=True</c>) or rtdetr ([1,Q,4+nc]: cx,cy,w,h as 0..1 of the input, then per-class scores; no NMS).</param>
/// <param name="Strides">yolox only: the feature strides, in output order (default 8, 16, 32).</param>
public sealed record ManifestOutput(string Name, string Layout, int[]? Strides = null);

public sealed record ManifestThresholds(float Confidence = 0.35f, float Iou = 0.5f);

/// <summary>How a frame is fitted into the model input.</summary>
public enum LetterboxMode { Center, TopLeft, Stretch }

/// <summary>Letterbox mode and pad value (0..255, all channels): what ingest's ffmpeg filter and the box mapping use.</summary>
public readonly record struct ImageFit(LetterboxMode Mode, byte PadValue)
{
    public static readonly ImageFit Default = new(LetterboxMode.Center, 114);

    public static readonly string[] Modes = ["center", "top-left", "stretch"];

    public static LetterboxMode? ParseMode(string? value) => value?.ToLowerInvariant() switch
    {
        "center" or "centre" => LetterboxMode.Center,
        "top-left" or "topleft" => LetterboxMode.TopLeft,
        "stretch" => LetterboxMode.Stretch,
        _ => null,
    };
}

/// <summary>Reads <c>letterbox</c> as a mode name or as the older boolean (true = center, false = stretch).</summary>
public sealed class LetterboxJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => "center",
        JsonTokenType.False => "stretch",
        JsonTokenType.String => reader.GetString() ?? "center",
        _ => throw new JsonException($"letterbox must be one of {string.Join(", ", ImageFit.Modes)} (or true/false)"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Source-generated JSON for manifests (snake_case like the files written by models/train_detector.py).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
