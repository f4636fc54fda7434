using System.Text.Json.Serialization;

namespace EdgeAi.Models.Devices;

/// <summary>
/// Video quality measurements of one camera's last analysed frame, in a <see cref="CameraHealth"/> entry. Measured on a
/// small grey-level copy of the frame (about 160 pixels wide), so the values do not depend on the camera's resolution. Nullable fields are always written, null included, and must be present on read.
/// </summary>
/// <param name="Brightness">Mean grey level, 0..255.</param>
/// <param name="Contrast">Standard deviation of the grey level, 0..128.</param>
/// <param name="Sharpness">Variance of the Laplacian (4-neighbour); low = blurred.</param>
/// <param name="Change">Mean absolute grey-level difference from the previous analysed frame, 0..255; null on the first frame.</param>
/// <param name="FrozenS">Seconds the picture has not changed (0 while it changes).</param>
/// <param name="OccludedFraction">Share of the reference view's textured area that lost its texture, 0..1; null before a reference was learned.</param>
/// <param name="SceneSimilarity">Normalised cross-correlation with the learned reference view, -1..1 (1 = same view); null before a reference was learned.</param>
public sealed record CameraQuality(
    double Brightness,
    double Contrast,
    double Sharpness,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Change,
    double FrozenS,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? OccludedFraction,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? SceneSimilarity);
