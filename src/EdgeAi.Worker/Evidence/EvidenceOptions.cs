using OpenCvSharp;

namespace EdgeAi.Worker.Evidence;

/// <summary>How evidence images are drawn and encoded. Whether persons are blurred is the rule's setting
/// (<see cref="Scenarios.RuleConfig.PrivacyBlur"/>), carried by each episode event.</summary>
public sealed record EvidenceOptions
{
    /// <summary>JPEG quality of the annotated snapshot, 1..100. Default 85.</summary>
    public int SnapshotQuality { get; init; } = 85;

    /// <summary>JPEG quality of the crop, 1..100. Default 90.</summary>
    public int CropQuality { get; init; } = 90;

    /// <summary>Write a crop around the event's objects besides the snapshot. Default true.</summary>
    public bool Crop { get; init; } = true;

    /// <summary>The crop is the union of the event's object boxes grown by this fraction of its size on each side. Default 0.25.</summary>
    public double CropMargin { get; init; } = 0.25;

    /// <summary>Smallest crop side in pixels (tiny objects get context). Default 96.</summary>
    public int MinCropSize { get; init; } = 96;

    /// <summary>Stroke width in pixels; 0 (default) = about 1/360 of the image's larger side, at least 2.</summary>
    public int LineThickness { get; init; }

    /// <summary>Draw each object's class and confidence above its box, on a filled background. Default true.</summary>
    public bool Labels { get; init; } = true;

    /// <summary>Labels treated as persons for the privacy blur. Default person.</summary>
    public IReadOnlyList<string> PersonClasses { get; init; } = ["person"];

    /// <summary>Zone outline colour, OpenCV order (blue, green, red). Default yellow.</summary>
    public Scalar ZoneColor { get; init; } = new(0, 210, 255);

    /// <summary>Object box and label background colour, OpenCV order (blue, green, red). Default red; the label text is
    /// white or black, whichever stands out more.</summary>
    public Scalar ObjectColor { get; init; } = new(30, 30, 230);

    /// <summary>Returns every problem (empty when valid), each prefixed with <paramref name="path"/>.</summary>
    public IReadOnlyList<string> Validate(string path = "evidence")
    {
        var errors = new List<string>();
        if (SnapshotQuality is < 1 or > 100) errors.Add($"{path}.snapshotQuality: must be within 1..100 (was {SnapshotQuality})");
        if (CropQuality is < 1 or > 100) errors.Add($"{path}.cropQuality: must be within 1..100 (was {CropQuality})");
        if (!(CropMargin >= 0 && CropMargin <= 5)) errors.Add($"{path}.cropMargin: must be within 0..5 (was {CropMargin})");
        if (MinCropSize < 1) errors.Add($"{path}.minCropSize: must be at least 1 (was {MinCropSize})");
        if (LineThickness < 0) errors.Add($"{path}.lineThickness: must not be negative (was {LineThickness})");
        return errors;
    }
}
