using EdgeAi.Models.Events;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;

namespace EdgeAi.Worker.Eval;

/// <summary>
/// The event sink of one clip in eval: instead of the outbox, the worker's events are turned back into episodes on
/// the clip's time axis (video seconds). Used by one camera's analytics loop only; read after the pipeline has run.
/// </summary>
internal sealed class EpisodeCollector(DateTimeOffset clockStart, double durationS) : IEventSink
{
    private const double LastFrameSlackS = 1.5;

    private readonly Dictionary<Guid, Open> _open = new();
    private readonly List<DetectedEpisode> _episodes = [];

    /// <summary>Events received, all types.</summary>
    public int Events { get; private set; }

    public ValueTask EmitAsync(EdgeEvent evt, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct)
    {
        Events++;
        var t = (evt.Frame.Time - clockStart).TotalSeconds;
        switch (evt.Type)
        {
            case EventType.Started:
                _open[evt.EpisodeId] = new Open(evt.Scenario, evt.Zone.Id, t);
                break;
            case EventType.Ended when _open.Remove(evt.EpisodeId, out var o):
                // At the end of a clip the analytics stage ends open episodes at the last analysed frame's capture
                // time, within one analysis interval (1 s at the eval clips' key-frame rate) of the clip's end: such
                // an episode lasted to the end of the clip.
                var atEnd = t > durationS - LastFrameSlackS;
                _episodes.Add(new DetectedEpisode(o.Scenario, o.Zone, o.StartS, atEnd ? durationS : t, atEnd));
                break;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Every episode, ordered by start; one still open (no ended event) lasts to the end of the clip.</summary>
    public IReadOnlyList<DetectedEpisode> Episodes() =>
        _episodes.Concat(_open.Values.Select(o => new DetectedEpisode(o.Scenario, o.Zone, o.StartS, durationS, true)))
            .OrderBy(e => e.StartS).ThenBy(e => e.Scenario, StringComparer.Ordinal).ThenBy(e => e.Zone, StringComparer.Ordinal).ToList();

    private sealed record Open(string Scenario, string Zone, double StartS);
}
