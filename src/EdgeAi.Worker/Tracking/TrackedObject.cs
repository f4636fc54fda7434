using EdgeAi.Worker.Detection;

namespace EdgeAi.Worker.Tracking;

/// <summary>
/// One object matched in the current frame, as reported by <see cref="ObjectTracker"/>. Box and confidence are
/// the matched detection's (normalised to the source frame), not the prediction.
/// </summary>
/// <param name="TrackId">Stable per camera (tracker instance) while the object is tracked; never reused.</param>
/// <param name="Hits">Frames in which the track was matched.</param>
/// <param name="IsConfirmed">True once the track has <see cref="TrackerOptions.MinHits"/> hits.</param>
/// <param name="Displacement">Largest distance (normalised frame units) between the current box centre and any
/// centre seen within <see cref="TrackerOptions.MotionWindow"/>.</param>
/// <param name="RelativeDisplacement">The same in box sizes: max over the window of max(|dx|/width, |dy|/height).
/// About 0 for a parked object (detector jitter ≈ 0.05–0.2), several for a walking person or a carried bag.</param>
/// <param name="VelocityX">Smoothed centre velocity, normalised frame widths per second.</param>
/// <param name="VelocityY">Smoothed centre velocity, normalised frame heights per second.</param>
internal readonly record struct TrackedObject(
    long TrackId,
    int ClassId,
    string Label,
    float Confidence,
    BoxF Box,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int Hits,
    bool IsConfirmed,
    float Displacement,
    float RelativeDisplacement,
    float VelocityX,
    float VelocityY)
{
    /// <summary>How long the object has been tracked.</summary>
    public TimeSpan Age => LastSeen - FirstSeen;
}
