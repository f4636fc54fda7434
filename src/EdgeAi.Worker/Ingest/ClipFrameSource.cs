using System.Threading.Channels;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// A clip file (eval): read once, as fast as the pipeline takes the frames; a run that gave no frame is reported as failed,
/// never retried, and the clip's end ends the camera. Each frame is stamped with <paramref name="clockStart"/> plus its
/// stream time (ffmpeg's showinfo), so dwell, cooldown and ban schedules run on scene time however slow the machine.
/// </summary>
/// <param name="clockStart">The wall-clock time of the clip's first frame.</param>
public sealed partial class ClipFrameSource(DateTimeOffset clockStart, CameraHealth health, ILogger logger) : IFrameSource
{
    /// <summary>Capture time of the last frame handed on: a decoder started again (long-GOP switch) decodes from the clip's start.</summary>
    private DateTimeOffset? _lastHandedOn;

    public IReadOnlyList<string> Arguments(CameraConfig camera, int width, int height, ImageFit fit, string? fullResolution) =>
        FfmpegArguments.Build(camera, width, height, fromFile: true, fit, fullResolution);

    public async ValueTask<DateTimeOffset> CaptureTimeAsync(ChannelReader<double> streamTimes, CancellationToken ct) =>
        clockStart + TimeSpan.FromSeconds(await streamTimes.ReadAsync(ct).ConfigureAwait(false));

    public bool Admit(DateTimeOffset captured)
    {
        if (_lastHandedOn is { } last && captured <= last) return false;
        _lastHandedOn = captured;
        return true;
    }

    public async Task SuperviseAsync(Func<CancellationToken, ValueTask<ConnectionAttempt>> connect, CancellationToken ct)
    {
        // A clip is read once: a failure is reported, not retried.
        var run = await connect(ct).ConfigureAwait(false);
        if (run.Frames == 0 && !ct.IsCancellationRequested)
        {
            health.SetState(CameraState.Failed, run.Reason);
            LogClipFailed(logger, health.CameraId, run.Reason);
        }
    }

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "Camera {CameraId}: clip gave no frame: {Reason}")]
    private static partial void LogClipFailed(ILogger logger, string cameraId, string reason);
}
