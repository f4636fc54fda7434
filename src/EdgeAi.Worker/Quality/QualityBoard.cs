using System.Collections.Concurrent;

namespace EdgeAi.Worker.Quality;

/// <summary>
/// The latest <see cref="QualityReport"/> per camera: written by each camera's analytics loop, read by the health
/// publisher (and any status page). Thread-safe; a reader sees a whole report or the previous one.
/// </summary>
public sealed class QualityBoard(TimeProvider? time = null)
{
    /// <summary>A report older than this describes a picture that is no longer coming in (the stream stopped), so it is not shown.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, QualityReport> _latest = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public void Set(string cameraId, QualityReport report) => _latest[cameraId] = report;

    /// <summary>The camera's last report; null before its first analysed frame, with the diagnosis off, or when older than <see cref="MaxAge"/>.</summary>
    public QualityReport? Get(string cameraId) =>
        _latest.TryGetValue(cameraId, out var r) && _time.GetUtcNow() - r.At <= MaxAge ? r : null;
}
