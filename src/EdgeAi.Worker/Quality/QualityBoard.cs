using System.Collections.Concurrent;

namespace EdgeAi.Worker.Quality;

/// <summary>
/// The latest <see cref="QualityReport"/> per camera: written by each camera's analytics loop, read by the health
/// publisher (and any status page). Thread-safe; a reader sees a whole report or the previous one.
/// </summary>
public sealed class QualityBoard
{
    private readonly ConcurrentDictionary<string, QualityReport> _latest = new();

    public void Set(string cameraId, QualityReport report) => _latest[cameraId] = report;

    /// <summary>The camera's last report; null before its first analysed frame or with the diagnosis off.</summary>
    public QualityReport? Get(string cameraId) => _latest.GetValueOrDefault(cameraId);
}
