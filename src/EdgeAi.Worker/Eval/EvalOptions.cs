namespace EdgeAi.Worker.Eval;

/// <summary>How <see cref="EvalRunner"/> runs and <see cref="EpisodeMatcher"/> scores. Defaults suit the bundled eval set.</summary>
internal sealed record EvalOptions
{
    /// <summary>Clips analysed at once, each as one camera of one worker pipeline (inference batches across them). Default 4.</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>
    /// Slack, in seconds, on both ends of a GT incident when testing overlap with an episode: the worker sees one
    /// frame per key frame (1 s in the eval clips), so its times are quantised. Default 2 s.
    /// </summary>
    public double MatchToleranceS { get; init; } = 2;

    /// <summary>Where evidence JPEGs of the episodes are kept; null (default) = a temporary folder, removed afterwards.</summary>
    public string? EvidenceDirectory { get; init; }
}
