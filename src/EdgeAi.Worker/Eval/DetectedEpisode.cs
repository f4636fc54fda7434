namespace EdgeAi.Worker.Eval;

/// <summary>
/// One episode the worker emitted for a clip, in video seconds: <paramref name="StartS"/> is the frame of its
/// <c>started</c> event (when the rule decided), <paramref name="EndS"/> the frame of its <c>ended</c> event, or the
/// clip's end when the episode was still open at the end of the clip (<paramref name="OpenAtEnd"/>).
/// </summary>
internal sealed record DetectedEpisode(string Scenario, string Zone, double StartS, double EndS, bool OpenAtEnd = false);
