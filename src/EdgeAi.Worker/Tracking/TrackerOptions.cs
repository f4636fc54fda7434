namespace EdgeAi.Worker.Tracking;

/// <summary>
/// ByteTrack-style association and track-lifecycle parameters for <see cref="ObjectTracker"/>. Defaults suit the
/// slow analysis cadence of the gateway (0.5–2 analysed frames per second).
/// </summary>
public sealed record TrackerOptions
{
    /// <summary>Detections at or above this confidence take part in the first association stage. Default 0.5.</summary>
    public float HighThreshold { get; init; } = 0.5f;

    /// <summary>Detections in [LowThreshold, HighThreshold) may only extend existing tracks (second stage). Default 0.1.</summary>
    public float LowThreshold { get; init; } = 0.1f;

    /// <summary>An unmatched high-score detection starts a new track only at or above this confidence. Default 0.5.</summary>
    public float NewTrackThreshold { get; init; } = 0.5f;

    /// <summary>Minimum IoU (of buffered boxes) for a match in the first stage. Default 0.2.</summary>
    public float MatchIou { get; init; } = 0.2f;

    /// <summary>Minimum IoU (of buffered boxes) for a low-score detection to extend a track. Default 0.4.</summary>
    public float LowMatchIou { get; init; } = 0.4f;

    /// <summary>Minimum IoU (of buffered boxes) to confirm a tentative track. Default 0.3.</summary>
    public float TentativeMatchIou { get; init; } = 0.3f;

    /// <summary>
    /// Boxes are enlarged by this fraction of their width/height on each side before IoU (buffered IoU, as in
    /// C-BIoU): keeps small or fast objects associated at low frame rates. 0 = plain IoU. Default 0.25.
    /// </summary>
    public float BoxBuffer { get; init; } = 0.25f;

    /// <summary>
    /// Last association stage: a high-score detection left unmatched may join an unmatched track of its class whose
    /// predicted centre is within this many box sizes (larger side) and whose size is within 1.5×. Covers the
    /// gateway's low analysis rates, where a walker moves more than its own width between key frames. 0 = off.
    /// Default 2.
    /// </summary>
    public float MaxCenterDistance { get; init; } = 2f;

    /// <summary>Matched frames before a track is confirmed. Default 2.</summary>
    public int MinHits { get; init; } = 2;

    /// <summary>A lost track is removed after this many consecutive frames without a match. Default 30.</summary>
    public int MaxLostFrames { get; init; } = 30;

    /// <summary>A lost track is removed after this long without a match (whichever limit comes first). Default 20 s.</summary>
    public TimeSpan MaxLostTime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Constant-velocity prediction is applied for at most this long after the last match. Default 3 s.</summary>
    public TimeSpan MaxPredictionHorizon { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Window over which <see cref="TrackedObject.Displacement"/> is measured. Default 5 s.</summary>
    public TimeSpan MotionWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Returns every problem with these options (empty when valid), each prefixed with <paramref name="path"/>.</summary>
    /// <summary>
    /// Options for a model's detections: a track is started and held by detections at or above the model's own
    /// calibrated confidence threshold (its manifest), not a fixed 0.5 that a small or uncalibrated model never
    /// reaches for small objects (the demo detector scores a dropped can 0.42-0.47: with 0.5 it was never tracked).
    /// </summary>
    public static TrackerOptions ForModel(Inference.ManifestThresholds thresholds)
    {
        var defaults = new TrackerOptions();
        var high = Math.Clamp(thresholds.Confidence, defaults.LowThreshold, defaults.HighThreshold);
        return defaults with { HighThreshold = high, NewTrackThreshold = high };
    }

    public IReadOnlyList<string> Validate(string path = "tracker")
    {
        var errors = new List<string>();
        void Unit(string name, float v)
        {
            if (!(v >= 0 && v <= 1)) errors.Add($"{path}.{name}: must be within 0..1 (was {v})");
        }
        Unit("highThreshold", HighThreshold);
        Unit("lowThreshold", LowThreshold);
        Unit("newTrackThreshold", NewTrackThreshold);
        Unit("matchIou", MatchIou);
        Unit("lowMatchIou", LowMatchIou);
        Unit("tentativeMatchIou", TentativeMatchIou);
        if (LowThreshold > HighThreshold) errors.Add($"{path}.lowThreshold: must not exceed highThreshold ({LowThreshold} > {HighThreshold})");
        if (!(MaxCenterDistance >= 0 && MaxCenterDistance <= 10)) errors.Add($"{path}.maxCenterDistance: must be within 0..10 box sizes (was {MaxCenterDistance})");
        if (!(BoxBuffer >= 0 && BoxBuffer <= 2)) errors.Add($"{path}.boxBuffer: must be within 0..2 (was {BoxBuffer})");
        if (MinHits < 1) errors.Add($"{path}.minHits: must be at least 1 (was {MinHits})");
        if (MaxLostFrames < 0) errors.Add($"{path}.maxLostFrames: must not be negative (was {MaxLostFrames})");
        if (MaxLostTime < TimeSpan.Zero) errors.Add($"{path}.maxLostTime: must not be negative (was {MaxLostTime})");
        if (MaxPredictionHorizon < TimeSpan.Zero) errors.Add($"{path}.maxPredictionHorizon: must not be negative (was {MaxPredictionHorizon})");
        if (MotionWindow <= TimeSpan.Zero) errors.Add($"{path}.motionWindow: must be positive (was {MotionWindow})");
        return errors;
    }
}
