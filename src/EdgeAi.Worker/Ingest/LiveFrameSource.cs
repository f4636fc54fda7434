using System.Threading.Channels;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Recording;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// A live camera (RTSP, or any URL ffmpeg reads as a stream): every ended decoder run is retried, forever, with
/// exponential backoff and jitter (<see cref="ReconnectBackoff"/>), the camera reported in backoff or failed meanwhile;
/// frames are stamped with the wall clock at arrival; with a <paramref name="recording"/> ring the same ffmpeg (one RTSP
/// session) also writes the rolling recording.
/// </summary>
/// <param name="time">The clock of capture times and reconnect delays; the system clock by default.</param>
public sealed partial class LiveFrameSource(CameraHealth health, IngestOptions options, ILogger logger, TimeProvider? time = null,
    SegmentRing? recording = null) : IFrameSource
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IReadOnlyList<string> Arguments(CameraConfig camera, int width, int height, ImageFit fit, string? fullResolution)
    {
        var args = FfmpegArguments.Build(camera, width, height, fromFile: false, fit, fullResolution);
        // Rolling recording: one more output of the same ffmpeg (one RTSP session), stream copy.
        return recording is null ? args : [.. args, .. recording.OutputArguments()];
    }

    public ValueTask<DateTimeOffset> CaptureTimeAsync(ChannelReader<double> streamTimes, CancellationToken ct) => ValueTask.FromResult(_time.GetUtcNow());

    /// <summary>Every frame of a live camera is new.</summary>
    public bool Admit(DateTimeOffset captured) => true;

    public Task SuperviseAsync(Func<CancellationToken, ValueTask<ConnectionAttempt>> connect, CancellationToken ct)
    {
        var backoff = new ReconnectBackoff(options, _time, notice =>
        {
            health.SetState(notice.Failed ? CameraState.Failed : CameraState.Backoff, notice.Ended.Reason);
            health.Reconnected();
            LogRetry(logger, health.CameraId, notice.Failed ? "failed" : "backoff", notice.Ended.Reason, notice.Delay.TotalSeconds);
        });
        return backoff.RunAsync(connect, ct);
    }

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Camera {CameraId}: {State}: {Reason}; retrying in {DelaySeconds:0.0} s")]
    private static partial void LogRetry(ILogger logger, string cameraId, string state, string reason, double delaySeconds);
}
