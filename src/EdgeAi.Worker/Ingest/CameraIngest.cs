using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using EdgeAi.Interop.Processes;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// Supervises one camera: runs one ffmpeg process (so a decoder crash or hang takes down one stream, not
/// the gateway), reads fixed-size planar frames from its stdout into pooled buffers and writes them to the
/// camera's frame channel. States: connecting → streaming → backoff → failed (with reason). A stall watchdog
/// kills ffmpeg when no frame arrives for <see cref="DecodeOptions.StallTimeout"/>; reconnects back off
/// exponentially with jitter and reset after a healthy period (<see cref="ReconnectBackoff"/>, a Polly retry strategy).
/// </summary>
/// <remarks>
/// Live mode (RTSP) retries forever and stamps frames with the wall clock. File mode (eval) reads a clip once
/// as fast as the pipeline accepts, stamps frames with <c>clockStart + stream time</c>, then completes.
/// </remarks>
public sealed partial class CameraIngest
{
    private readonly CameraConfig _camera;
    private readonly int _width;
    private readonly int _height;
    private readonly ChannelWriter<Frame> _output;
    private readonly CameraHealth _health;
    private readonly IngestOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset? _fileClockStart;
    private readonly ImageFit _fit;
    private long _sequence;

    /// <param name="fileClockStart">Set for file mode: the wall-clock time of the clip's first frame.</param>
    /// <param name="fit">The model's letterbox mode and pad value (default centred, 114).</param>
    public CameraIngest(CameraConfig camera, int width, int height, ChannelWriter<Frame> output, CameraHealth health,
        IngestOptions options, ILogger logger, TimeProvider? time = null, DateTimeOffset? fileClockStart = null, ImageFit? fit = null)
    {
        _fit = fit ?? ImageFit.Default;
        _camera = camera;
        _width = width;
        _height = height;
        _output = output;
        _health = health;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _fileClockStart = fileClockStart;
    }

    private bool FileMode => _fileClockStart.HasValue;

    private int FrameBytes => _width * _height * 3;

    /// <summary>Runs until cancelled (live) or the clip ends (file). Never throws for camera faults.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            if (FileMode)
            {
                // A clip is read once: a failure is reported, not retried.
                var run = await ConnectAsync(ct).ConfigureAwait(false);
                if (run.Frames == 0 && !ct.IsCancellationRequested)
                {
                    _health.SetState(CameraState.Failed, run.Reason);
                    LogClipFailed(_camera.Id, run.Reason);
                }
                return;
            }
            var backoff = new ReconnectBackoff(_options, _time, notice =>
            {
                _health.SetState(notice.Failed ? CameraState.Failed : CameraState.Backoff, notice.Ended.Reason);
                _health.Reconnected();
                LogRetry(_camera.Id, notice.Failed ? "failed" : "backoff", notice.Ended.Reason, notice.Delay.TotalSeconds);
            });
            await backoff.RunAsync(ConnectAsync, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _health.SetState(CameraState.Stopped);
            if (FileMode) _output.TryComplete();
            LogStopped(_camera.Id);
        }
    }

    private async ValueTask<ConnectionAttempt> ConnectAsync(CancellationToken ct)
    {
        _health.SetState(CameraState.Connecting);
        return await RunOnceAsync(ct).ConfigureAwait(false);
    }

    private async Task<ConnectionAttempt> RunOnceAsync(CancellationToken ct)
    {
        var psi = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in FfmpegArguments.Build(_camera, _width, _height, FileMode, _fit)) psi.ArgumentList.Add(a);

        Process process;
        try
        {
            process = ChildProcess.Start(psi);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ConnectionAttempt(0, TimeSpan.Zero, $"cannot start ffmpeg: {ex.Message} (apt-get install ffmpeg)", true);
        }

        if (_options.DecoderNice != 0) Priority.TrySetNice(process.Id, _options.DecoderNice);   // before ffmpeg starts its threads
        LogConnecting(_camera.Id, _camera.SafeUrl, process.Id);
        // Room for two whole frames in the pipe (up to the system's 1 MiB limit): fewer wake-ups of ffmpeg and of this reader.
        Pipes.TryGrow(process.StandardOutput.BaseStream, 2 * FrameBytes);
        using var stderr = new StderrPump(process, _camera, _health, _options, _logger);
        var started = Stopwatch.GetTimestamp();
        long firstFrameAt = 0;
        long frames = 0;
        string? stallReason = null;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            stall.CancelAfter(_camera.Decode.StallTimeout + _camera.Decode.SocketTimeout);
            var source = await stderr.SourceInfo.WaitAsync(stall.Token).ConfigureAwait(false);
            var geometry = LetterboxGeometry.For(source.Width, source.Height, _width, _height, _fit.Mode);
            var stdout = process.StandardOutput.BaseStream;
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(FrameBytes);
                try
                {
                    await stdout.ReadExactlyAsync(buffer.AsMemory(0, FrameBytes), stall.Token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                stall.CancelAfter(_camera.Decode.StallTimeout);
                var arrival = Stopwatch.GetTimestamp();
                var captured = _fileClockStart is { } start
                    ? start + TimeSpan.FromSeconds(await stderr.FrameTimes.ReadAsync(stall.Token).ConfigureAwait(false))
                    : _time.GetUtcNow();
                if (frames++ == 0)
                {
                    firstFrameAt = arrival;
                    _health.SetState(CameraState.Streaming);
                    LogStreaming(_camera.Id, source.Codec, source.Width, source.Height);
                }
                _health.FrameIn();
                var frame = new Frame(_camera.Id, Interlocked.Increment(ref _sequence), captured, arrival, buffer, FrameBytes, geometry, source.Width, source.Height);
                if (FileMode) await _output.WriteAsync(frame, ct).ConfigureAwait(false);   // eval: never drop
                else if (!_output.TryWrite(frame)) frame.Release();                         // live: channel drops oldest
            }
        }
        catch (EndOfStreamException)
        {
            // ffmpeg closed stdout: it exited or the stream ended.
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            stallReason = frames == 0
                ? $"no video within {(_camera.Decode.StallTimeout + _camera.Decode.SocketTimeout).TotalSeconds:0} s"
                : $"stalled: no frame for {_camera.Decode.StallTimeout.TotalSeconds:0} s";
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
        finally
        {
            await StopProcessAsync(process).ConfigureAwait(false);
        }

        int? exitCode = process.HasExited ? process.ExitCode : null;
        await stderr.Completion.ConfigureAwait(false);
        process.Dispose();
        var (reason, permanent) = stallReason is not null ? (stallReason, false) : FfmpegStderr.Classify(stderr.LastLines, exitCode);
        if (stallReason is not null) _health.DecodeError();
        var streamed = firstFrameAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(firstFrameAt);
        return new ConnectionAttempt(frames, streamed, reason, permanent && frames == 0);
    }

    /// <summary>SIGTERM first (ffmpeg flushes and exits), SIGKILL if it has not exited after 2 s.</summary>
    private static async Task StopProcessAsync(Process process)
    {
        try
        {
            if (process.HasExited) return;
            Signals.Send(process.Id, Signals.SIGTERM);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ChildProcess.KillTree(process, TimeSpan.FromSeconds(2));
        }
        catch (InvalidOperationException)
        {
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Camera {CameraId}: connecting to {Url} (ffmpeg pid {Pid})")]
    private partial void LogConnecting(string cameraId, string url, int pid);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Camera {CameraId}: streaming {Codec} {Width}x{Height}")]
    private partial void LogStreaming(string cameraId, string codec, int width, int height);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Camera {CameraId}: {State}: {Reason}; retrying in {DelaySeconds:0.0} s")]
    private partial void LogRetry(string cameraId, string state, string reason, double delaySeconds);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Camera {CameraId}: ingest stopped")]
    private partial void LogStopped(string cameraId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Camera {CameraId}: clip gave no frame: {Reason}")]
    private partial void LogClipFailed(string cameraId, string reason);
}
