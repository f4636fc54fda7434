using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Pipeline;
using Microsoft.Extensions.Logging;
using OpenCVException = OpenCvSharp.OpenCVException;

namespace EdgeAi.Worker.Quality;

/// <summary>
/// Runs the video quality diagnosis on each analysed frame (the letterboxed frame already in memory, before the
/// inner analytics releases it), posts the report on the <see cref="QualityBoard"/>, then hands the frame on.
/// A diagnosis failure is logged and never costs the frame its scenario analytics. Flag changes are logged once
/// each ("raised"/"cleared"), never per frame. The grey copy and the analyzer's Mats are reused frame after frame and
/// released when the camera's analytics complete.
/// </summary>
internal sealed partial class QualityCheckingAnalytics(
    string cameraId,
    ICameraAnalytics inner,
    QualityOptions options,
    QualityBoard board,
    ILogger<QualityCheckingAnalytics> logger) : ICameraAnalytics
{
    private readonly QualityAnalyzer _analyzer = new(options);
    private readonly GrayFrame _grey = new();
    private IReadOnlyList<string> _flags = [];
    private bool _failureLogged;

    public async ValueTask ProcessAsync(AnalysedFrame frame, CancellationToken ct)
    {
        if (options.Enabled) Diagnose(frame.Frame);
        await inner.ProcessAsync(frame, ct).ConfigureAwait(false);
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        try
        {
            await inner.CompleteAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _grey.Dispose();
            _analyzer.Dispose();
        }
    }

    private void Diagnose(Frame frame)
    {
        try
        {
            var grey = _grey.From(frame.Data.Span, frame.Geometry, options.AnalysisWidth);
            var report = _analyzer.Analyze(grey, frame.CaptureTime);
            board.Set(cameraId, report);
            var raised = report.Flags.Except(_flags).ToList();
            var cleared = _flags.Except(report.Flags).ToList();
            if (raised.Count > 0) LogRaised(cameraId, string.Join(",", raised), report.Measurements.Brightness, report.Measurements.Sharpness, report.Measurements.FrozenS);
            if (cleared.Count > 0) LogCleared(cameraId, string.Join(",", cleared));
            _flags = report.Flags;
        }
        catch (Exception ex) when (ex is ArgumentException or ObjectDisposedException or IndexOutOfRangeException or OpenCVException)
        {
            if (!_failureLogged) LogFailed(ex, cameraId);
            _failureLogged = true;
        }
    }

    [LoggerMessage(EventId = 260, Level = LogLevel.Warning, Message = "Camera {CameraId}: video quality problem {Flags} (brightness {Brightness}, sharpness {Sharpness}, unchanged {FrozenS} s)")]
    private partial void LogRaised(string cameraId, string flags, double brightness, double sharpness, double frozenS);

    [LoggerMessage(EventId = 261, Level = LogLevel.Information, Message = "Camera {CameraId}: video quality problem cleared: {Flags}")]
    private partial void LogCleared(string cameraId, string flags);

    [LoggerMessage(EventId = 262, Level = LogLevel.Error, Message = "Camera {CameraId}: video quality diagnosis failed; diagnosis off for this frame, analytics continue (logged once)")]
    private partial void LogFailed(Exception ex, string cameraId);
}
