using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Ingest;

/// <summary>Clip files (<see cref="ClipFrameSource"/>), the source of <c>edgeai eval</c>: each camera's URL is a clip.</summary>
/// <param name="clockStarts">Camera id → the wall-clock time of its clip's first frame.</param>
public sealed class ClipFrameSourceFactory(IReadOnlyDictionary<string, DateTimeOffset> clockStarts) : IFrameSourceFactory
{
    public bool Finite => true;

    public IFrameSource Create(CameraConfig camera, CameraHealth health, IngestOptions options, ILogger logger) =>
        clockStarts.TryGetValue(camera.Id, out var start)
            ? new ClipFrameSource(start, health, logger)
            : throw new ArgumentException($"camera {camera.Id}: no clock start for its clip", nameof(camera));
}
