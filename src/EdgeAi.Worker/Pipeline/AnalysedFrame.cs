using EdgeAi.Worker.Ingest;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// A frame with its detections, handed from inference to the camera's analytics stage, which owns the frame
/// from here on and must <see cref="Frame.Release"/> it (after any evidence was cut from it).
/// </summary>
public sealed record AnalysedFrame(Frame Frame, IReadOnlyList<Detection.Detection> Detections, string ModelId);
