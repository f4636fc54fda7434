using System.Threading.Channels;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// Where one camera's frames come from, as its <see cref="CameraIngest"/> asks: what the camera's ffmpeg reads and writes
/// besides the model frames, when each frame was captured, and whether a decoder run that ended is started again. The
/// ingest keeps what every source shares (the ffmpeg process, the stall watchdog, the long-GOP switch to a full decoder,
/// the full-resolution frame ring, health). Implementations: <see cref="LiveFrameSource"/> (a camera: reconnects with
/// backoff, wall-clock capture times, the rolling recording) and <see cref="ClipFrameSource"/> (a clip file for eval: read
/// once, capture time = the clip's clock start + stream time). Made per camera run by an <see cref="IFrameSourceFactory"/>.
/// </summary>
/// <remarks>Called from the camera's one ingest loop only: implementations need not be thread-safe.</remarks>
public interface IFrameSource
{
    /// <summary>The ffmpeg command line of one decoder run; <paramref name="camera"/> is the camera as that run decodes it (the
    /// full decoder of a long-GOP camera has its own decode settings), <paramref name="fullResolution"/> the run's
    /// full-resolution file pattern or null (<see cref="FfmpegArguments.Build"/>).</summary>
    IReadOnlyList<string> Arguments(CameraConfig camera, int width, int height, ImageFit fit, string? fullResolution);

    /// <summary>The capture time of the frame just read off ffmpeg's stdout. <paramref name="streamTimes"/> yields each frame's
    /// stream time in seconds, in order, when <see cref="Arguments"/> asked ffmpeg for them (showinfo); ignored otherwise.</summary>
    ValueTask<DateTimeOffset> CaptureTimeAsync(ChannelReader<double> streamTimes, CancellationToken ct);

    /// <summary>Whether the frame captured at <paramref name="captured"/> is handed on, and if so it is remembered as handed on;
    /// false for a frame handed on before (a clip's decoder started again from the clip's start).</summary>
    bool Admit(DateTimeOffset captured);

    /// <summary>
    /// Runs the camera's decoder runs until <paramref name="ct"/> is cancelled or the source has no more frames.
    /// <paramref name="connect"/> starts one run and returns how it ended; it never throws for camera faults. Throws
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    Task SuperviseAsync(Func<CancellationToken, ValueTask<ConnectionAttempt>> connect, CancellationToken ct);
}
