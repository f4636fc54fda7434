namespace EdgeAi.Worker.Quality;

/// <summary>
/// Video quality diagnosis thresholds (worker config key <c>quality</c>, per camera <c>cameras[i].quality</c>, which
/// replaces the device-level section). Measured on a grey-level copy of each analysed frame about
/// <see cref="AnalysisWidth"/> pixels wide; see <see cref="Models.Devices.CameraQuality"/> for the measures.
/// Defaults suit the 1 analysed frame per second of key-frame decode.
/// </summary>
public sealed record QualityOptions
{
    /// <summary>Run the diagnosis. Default true (measured: 0.4 ms per analysed frame at a 320-pixel model input, 1.3 ms at 640).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Width of the grey-level copy the checks run on. Default 160; 32..1024.</summary>
    public int AnalysisWidth { get; init; } = 160;

    /// <summary>"black" when the mean grey level is at most this and the contrast at most <see cref="UniformContrastMax"/>. Default 20.</summary>
    public double BlackBrightnessMax { get; init; } = 20;

    /// <summary>"overexposed" when the mean grey level is at least this. Default 235.</summary>
    public double OverexposedBrightnessMin { get; init; } = 235;

    /// <summary>Grey-level standard deviation below which a dark picture counts as uniformly black. Default 12.</summary>
    public double UniformContrastMax { get; init; } = 12;

    /// <summary>"blurred" when the variance of the Laplacian is below this. Default 150 (measured at width 160 on the scene generator's clips: 390–3500 sharp, 20–135 after a 5×5 box blur at 320 px; on real CCTV, vtest.avi at a 320 input: 1970–2310 sharp, 210–250 / 96–114 / 53–63 after a 5×5 / 7×7 / 9×9 box blur). OpenCV's Laplacian on the interior pixels gives the same numbers as the hand-written measure it replaced (within 0.3 % on the same frames, from the grey conversion's rounding).</summary>
    public double BlurSharpnessMin { get; init; } = 150;

    /// <summary>
    /// Two analysed frames whose mean absolute grey-level difference is at most this count as the same picture. Default 0.2:
    /// re-encoded key frames of one still image differ by up to 0.17; noise-free synthetic scenes stay under it for up to 41 s.
    /// </summary>
    public double FrozenChangeMax { get; init; } = 0.2;

    /// <summary>"frozen" after the picture has not changed for this long. Default 60 s.</summary>
    public TimeSpan FrozenAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A cell of the reference view lost its texture when its contrast falls below this share of the reference's. Default 0.3.</summary>
    public double OcclusionTextureRatio { get; init; } = 0.3;

    /// <summary>"occluded" when at least this share of the reference's textured cells lost their texture. Default 0.5.</summary>
    public double OcclusionFractionMin { get; init; } = 0.5;

    /// <summary>A frame differs from the reference view when their normalised cross-correlation is below this. Default 0.45.</summary>
    public double SceneSimilarityMin { get; init; } = 0.45;

    /// <summary>Consecutive differing frames before "scene_changed" (a bus passing lasts one or two). Default 3.</summary>
    public int SceneChangeFrames { get; init; } = 3;

    /// <summary>How long "scene_changed" stays raised after the camera moved (the new view becomes the reference). Default 10 min.</summary>
    public TimeSpan SceneChangeHold { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Every problem as "key.path: reason", for the config validator.</summary>
    public IEnumerable<string> Validate(string key)
    {
        if (AnalysisWidth is < 32 or > 1024) yield return $"{key}.analysis_width: {AnalysisWidth} must be 32..1024";
        if (BlackBrightnessMax is < 0 or > 255) yield return $"{key}.black_brightness_max: {BlackBrightnessMax} must be 0..255";
        if (OverexposedBrightnessMin is < 0 or > 255) yield return $"{key}.overexposed_brightness_min: {OverexposedBrightnessMin} must be 0..255";
        if (OverexposedBrightnessMin <= BlackBrightnessMax) yield return $"{key}.overexposed_brightness_min: {OverexposedBrightnessMin} must be above black_brightness_max ({BlackBrightnessMax})";
        if (UniformContrastMax < 0) yield return $"{key}.uniform_contrast_max: {UniformContrastMax} must be >= 0";
        if (BlurSharpnessMin < 0) yield return $"{key}.blur_sharpness_min: {BlurSharpnessMin} must be >= 0";
        if (FrozenChangeMax < 0) yield return $"{key}.frozen_change_max: {FrozenChangeMax} must be >= 0";
        if (FrozenAfter <= TimeSpan.Zero) yield return $"{key}.frozen_after: {FrozenAfter} must be > 0 (a TimeSpan such as \"00:01:00\")";
        if (OcclusionTextureRatio is <= 0 or >= 1) yield return $"{key}.occlusion_texture_ratio: {OcclusionTextureRatio} must be in (0, 1)";
        if (OcclusionFractionMin is <= 0 or > 1) yield return $"{key}.occlusion_fraction_min: {OcclusionFractionMin} must be in (0, 1]";
        if (SceneSimilarityMin is <= -1 or >= 1) yield return $"{key}.scene_similarity_min: {SceneSimilarityMin} must be in (-1, 1)";
        if (SceneChangeFrames < 1) yield return $"{key}.scene_change_frames: {SceneChangeFrames} must be >= 1";
        if (SceneChangeHold < TimeSpan.Zero) yield return $"{key}.scene_change_hold: {SceneChangeHold} must be >= 0";
    }
}
