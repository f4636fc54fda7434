namespace EdgeAi.Worker.Scenarios;

/// <summary>What one analysed frame produced.</summary>
/// <param name="Events">Episode events, usually none (then a shared empty list, no allocation).</param>
/// <param name="CaptureEvidence">True when an event started or ended on this frame: render and store evidence from it
/// for those events (<see cref="EpisodeEvent.WantsEvidence"/>) before the frame buffer is released.</param>
internal readonly record struct ScenarioFrameResult(IReadOnlyList<EpisodeEvent> Events, bool CaptureEvidence)
{
    public static ScenarioFrameResult None { get; } = new([], false);
}
