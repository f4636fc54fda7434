using EdgeAi.Models.Events;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Evidence;

/// <summary>
/// Renders and stores the evidence of an episode event in one call: a snapshot and (if enabled) a crop, stored as
/// <c>{episodeId:N}.{type}.snapshot</c> / <c>.crop</c>. Not thread-safe (owns a renderer); the store may be shared.
/// </summary>
internal sealed class EvidenceRecorder(EvidenceStore store, EvidenceOptions? options = null) : IDisposable
{
    private readonly EvidenceRenderer _renderer = new(options);

    /// <summary>
    /// Renders from the event's frame (packed RGB24, <paramref name="width"/>×<paramref name="height"/>) and stores it;
    /// returns each stored image with its reference, so the caller can publish the bytes without reading them back.
    /// </summary>
    public IReadOnlyList<EvidenceBlob> Capture(ReadOnlySpan<byte> rgb, int width, int height, EpisodeEvent episode, IReadOnlyList<TrackedObject>? frameObjects = null)
    {
        var images = _renderer.Render(rgb, width, height, episode, frameObjects);
        var stem = $"{episode.EpisodeId:N}.{TypeName(episode.Type)}";
        var snapshot = new EvidenceBlob(store.Save(stem + ".snapshot", images.Snapshot, "snapshot"), images.Snapshot);
        if (images.Crop is null) return [snapshot];
        return [snapshot, new EvidenceBlob(store.Save(stem + ".crop", images.Crop, "crop"), images.Crop)];
    }

    private static string TypeName(EventType type) => type switch
    {
        EventType.Started => "started",
        EventType.Updated => "updated",
        _ => "ended",
    };

    public void Dispose() => _renderer.Dispose();
}
