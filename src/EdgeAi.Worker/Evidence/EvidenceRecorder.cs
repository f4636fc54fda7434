using EdgeAi.Models.Events;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Evidence;

/// <summary>
/// Renders and stores the evidence of an episode event: a snapshot and (if enabled) a crop, stored as
/// <c>{episodeId:N}.{type}.snapshot</c> / <c>.crop</c>, their references saying width, height and whether persons are
/// blurred. Not thread-safe (owns a renderer); the store may be shared.
/// </summary>
internal sealed class EvidenceRecorder(EvidenceStore store, EvidenceOptions? options = null) : IDisposable
{
    private readonly EvidenceRenderer _renderer = new(options);

    /// <summary>The renderer (same thread as the recorder).</summary>
    public EvidenceRenderer Renderer => _renderer;

    /// <summary>
    /// Renders from the event's model-input frame (packed RGB24, <paramref name="width"/>×<paramref name="height"/>) and stores it;
    /// returns each stored image with its reference, so the caller can publish the bytes without reading them back.
    /// </summary>
    public IReadOnlyList<EvidenceBlob> Capture(ReadOnlySpan<byte> rgb, int width, int height, EpisodeEvent episode, IReadOnlyList<TrackedObject>? frameObjects = null) =>
        Store(Stem(episode), _renderer.Render(rgb, width, height, episode, frameObjects));

    /// <summary>Stores rendered images as <c>{stem}.snapshot</c> (kind <paramref name="kind"/>) and <c>{stem}.crop</c>.</summary>
    public IReadOnlyList<EvidenceBlob> Store(string stem, EvidenceImages images, string kind = EvidenceKinds.Snapshot)
    {
        var snapshotRef = store.Save(stem + "." + kind, images.Snapshot, kind) with
        {
            Width = images.Width > 0 ? images.Width : null,
            Height = images.Height > 0 ? images.Height : null,
            Blurred = images.Blurred,
        };
        var snapshot = new EvidenceBlob(snapshotRef, images.Snapshot);
        if (images.Crop is null) return [snapshot];
        var cropRef = store.Save(stem + ".crop", images.Crop, EvidenceKinds.Crop) with
        {
            Width = images.CropWidth > 0 ? images.CropWidth : null,
            Height = images.CropHeight > 0 ? images.CropHeight : null,
            Blurred = images.Blurred,
        };
        return [snapshot, new EvidenceBlob(cropRef, images.Crop)];
    }

    /// <summary>Evidence id stem of an episode event: <c>{episodeId:N}.{started|updated|ended}</c>.</summary>
    public static string Stem(EpisodeEvent episode) => $"{episode.EpisodeId:N}.{TypeName(episode.Type)}";

    private static string TypeName(EventType type) => type switch
    {
        EventType.Started => "started",
        EventType.Updated => "updated",
        _ => "ended",
    };

    public void Dispose() => _renderer.Dispose();
}
