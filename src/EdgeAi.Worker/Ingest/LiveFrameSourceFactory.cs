using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Recording;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Ingest;

/// <summary>Live cameras (<see cref="LiveFrameSource"/>), the source of <c>edgeai run</c>.</summary>
/// <param name="time">The cameras' clock (capture times, reconnect delays); the system clock by default.</param>
/// <param name="recordings">The camera's rolling-recording ring, or null when it does not record (<see cref="ClipService.RingFor"/>);
/// asked at every camera start, so a reload that turns recording off ends the ring, and shown in the camera's health
/// (<see cref="CameraHealth.Recording"/>). Null: no camera records.</param>
public sealed class LiveFrameSourceFactory(TimeProvider? time = null, Func<CameraConfig, SegmentRing?>? recordings = null) : IFrameSourceFactory
{
    public bool Finite => false;

    public IFrameSource Create(CameraConfig camera, CameraHealth health, IngestOptions options, ILogger logger) =>
        new LiveFrameSource(health, options, logger, time, health.Recording = recordings?.Invoke(camera));
}
