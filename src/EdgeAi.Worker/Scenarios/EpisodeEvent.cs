using EdgeAi.Models.Events;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// One step of an episode (started, updated, ended) from a <see cref="ScenarioEngine"/>. Maps to the wire
/// <see cref="EdgeEvent"/> with <see cref="EpisodeEventMapper"/>; the evidence renderer reads the zone and objects.
/// </summary>
/// <param name="Objects">Objects involved (for <see cref="EventType.Ended"/>: as last seen while the rule held).</param>
/// <param name="FrameTime">Capture time of the analysed frame that produced the event (the engine's clock).</param>
/// <param name="EpisodeStartTime">Frame time of the episode's started event.</param>
/// <param name="PrivacyBlur">Whether evidence for this rule blurs persons.</param>
internal sealed record EpisodeEvent(
    EventType Type,
    Guid EpisodeId,
    string CameraId,
    string Scenario,
    Zone Zone,
    RuleEvaluation Rule,
    IReadOnlyList<TrackedObject> Objects,
    DateTimeOffset FrameTime,
    int FrameWidth,
    int FrameHeight,
    DateTimeOffset EpisodeStartTime,
    bool PrivacyBlur)
{
    /// <summary>Evidence should be captured from this event's frame (started and ended).</summary>
    public bool WantsEvidence => Type is EventType.Started or EventType.Ended;
}
