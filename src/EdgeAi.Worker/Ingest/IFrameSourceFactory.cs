using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// Makes each camera's <see cref="IFrameSource"/> for the pipeline: <see cref="LiveFrameSourceFactory"/> for <c>edgeai run</c>
/// (registered in DI), <see cref="ClipFrameSourceFactory"/> for <c>edgeai eval</c>.
/// </summary>
public interface IFrameSourceFactory
{
    /// <summary>
    /// True when the sources end by themselves and every frame counts (clip files): the pipeline's queues wait rather than
    /// drop (back-pressure reaches the decoder) and the pipeline ends once every camera's source has ended. False (live
    /// cameras): the latest frame wins (queues drop the oldest) and the pipeline runs until stopped.
    /// </summary>
    bool Finite { get; }

    /// <summary>The source of one run of <paramref name="camera"/>; <paramref name="health"/> is the camera's, <paramref name="logger"/>
    /// its ingest's. Throws <see cref="ArgumentException"/> for a camera this factory has no source for.</summary>
    IFrameSource Create(CameraConfig camera, CameraHealth health, IngestOptions options, ILogger logger);
}
