namespace EdgeAi.Models.Events;

/// <summary>One detection on the analysed frame.</summary>
/// <param name="Class">Detector label, e.g. person, litter.</param>
/// <param name="Confidence">0..1.</param>
/// <param name="Box">Normalised [x1, y1, x2, y2] in 0..1 of the source frame, x1 &lt; x2 and y1 &lt; y2.</param>
/// <param name="TrackId">Tracker id, stable per camera while the object is tracked.</param>
public sealed record DetectedObject(string Class, double Confidence, IReadOnlyList<double> Box, long? TrackId = null);
