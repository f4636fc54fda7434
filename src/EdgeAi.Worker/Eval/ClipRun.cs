namespace EdgeAi.Worker.Eval;

/// <summary>What the worker did with one clip: the episodes it emitted and how many frames it analysed.</summary>
/// <param name="ExpectedFrames">Key frames in the clip (duration × fps / GOP), what a complete run analyses.</param>
/// <param name="Error">Why the clip was not (fully) analysed; null when it was.</param>
internal sealed record ClipRun(EvalClip Clip, IReadOnlyList<DetectedEpisode> Episodes, long FramesAnalysed, long ExpectedFrames, string? Error);
