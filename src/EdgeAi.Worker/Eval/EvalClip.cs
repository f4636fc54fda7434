namespace EdgeAi.Worker.Eval;

/// <summary>One clip to evaluate: the video file and its parsed ground truth.</summary>
internal sealed record EvalClip(string Name, string VideoPath, string GroundTruthPath, GroundTruth Truth)
{
    /// <summary>Scene time of the first frame (the GT's clock_start; checked by the loader).</summary>
    public DateTimeOffset ClockStart => Truth.ClockStart!.Value;
}
