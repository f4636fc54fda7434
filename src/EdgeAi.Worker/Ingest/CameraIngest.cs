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
/// Ingests one camera: runs one ffmpeg process (so a decoder crash or hang takes down one stream, not
/// the gateway), reads fixed-size planar frames from its stdout into pooled buffers and writes them to the
/// camera's frame channel. States: connecting → streaming → backoff → failed (with reason). A stall watchdog
/// kills ffmpeg when no frame arrives for <see cref="DecodeOptions.StallTimeout"/>. Where the frames come from is the
/// <see cref="IFrameSource"/>'s: the ffmpeg arguments, the capture times, and whether an ended run is started again (a
/// live camera reconnects with backoff, a clip is read once).
/// </summary>
/// <remarks>
/// Frames are written with <c>TryWrite</c>, then <c>WriteAsync</c>: the channel decides between dropping (a live camera's
/// queue drops its oldest frame) and back-pressure (a clip's queue waits, nothing is dropped). The channel is completed
/// when the ingest stops.
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
    private readonly IFrameSource _source;
    private readonly ImageFit _fit;
    private long _sequence;
    private FullResolutionFrames? _fullResolution;

    /// <param name="source">Where the frames come from (<see cref="LiveFrameSource"/>, <see cref="ClipFrameSource"/>).</param>
    /// <param name="fit">The model's letterbox mode and pad value (default centred, 114).</param>
    public CameraIngest(CameraConfig camera, int width, int height, ChannelWriter<Frame> output, CameraHealth health,
        IngestOptions options, ILogger logger, IFrameSource source, ImageFit? fit = null)
    {
        _source = source;
        _fit = fit ?? ImageFit.Default;
        _camera = camera;
        _width = width;
        _height = height;
        _output = output;
        _health = health;
        _options = options;
        _logger = logger;
    }

    private int FrameBytes => _width * _height * 3;

    /// <summary>Runs until cancelled or the source has no more frames (a clip's end), then completes the output. Never throws for camera faults.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (_options.FullResolutionRoot is { } root)
        {
            try
            {
                _fullResolution = new FullResolutionFrames(root, _camera.Id);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogFullResolutionUnavailable(_camera.Id, root, ex.Message);
            }
        }
        try
        {
            await _source.SuperviseAsync(ConnectAsync, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _health.SetState(CameraState.Stopped);
            _output.TryComplete();
            _fullResolution?.Dispose();
            LogStopped(_camera.Id);
        }
    }

    private async ValueTask<ConnectionAttempt> ConnectAsync(CancellationToken ct)
    {
        _health.SetState(CameraState.Connecting);
        return await RunOnceAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Key frames found further apart than the camera's max analysis interval: decode every frame from now on.</summary>
    private bool _fullDecode;

    /// <summary>Key-frame spacing already reported (once per camera run, not per reconnect).</summary>
    private bool _longGopReported;

    /// <summary>Key-frame spacing over this, with no max analysis interval configured, is reported in health and the log.</summary>
    private static readonly TimeSpan LongGopWarning = TimeSpan.FromSeconds(10);

    /// <summary>How long a full decoder (long-GOP camera) may take to its first frame: the next key frame of a 60 s GOP.</summary>
    private static readonly TimeSpan LongGopFirstFrame = TimeSpan.FromSeconds(60);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// One decoder run. In key-frame mode with a max analysis interval, a key-frame spacing over 1.5× that interval
    /// (the slack keeps an ordinary jittery GOP at the interval in key-frame mode) ends the key-frame decoder and the run
    /// goes on with a full decoder sampled to the interval.
    /// </summary>
    private async Task<ConnectionAttempt> RunOnceAsync(CancellationToken ct)
    {
        var (first, longGop) = await RunDecoderAsync(_fullDecode, ct).ConfigureAwait(false);
        if (!longGop || ct.IsCancellationRequested) return first;
        var (full, _) = await RunDecoderAsync(true, ct).ConfigureAwait(false);
        return full with { Frames = first.Frames + full.Frames, Streamed = first.Streamed + full.Streamed };
    }

    /// <summary>The camera as the full decoder sees it: mode all, sampled to one frame per max analysis interval.</summary>
    private CameraConfig FullDecodeCamera() => _camera with
    {
        Decode = _camera.Decode with { Mode = DecodeMode.All, MaxFps = null, Fps = 1 / _camera.Decode.MaxAnalysisInterval!.Value.TotalSeconds },
    };

    private async Task<(ConnectionAttempt Run, bool LongGop)> RunDecoderAsync(bool fullDecode, CancellationToken ct)
    {
        var camera = fullDecode ? FullDecodeCamera() : _camera;
        var watchGop = !fullDecode && _camera.Decode.Mode == DecodeMode.Keyframes;
        var switchAfter = _camera.Decode.MaxAnalysisInterval * 1.5;
        var warnAfter = _camera.Decode.MaxFps is { } maxFps && TimeSpan.FromSeconds(2 / maxFps) > LongGopWarning ? TimeSpan.FromSeconds(2 / maxFps) : LongGopWarning;
        var longGop = false;
        DateTimeOffset? previous = null;
        var psi = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var fullResolution = _fullResolution;
        foreach (var a in _source.Arguments(camera, _width, _height, _fit, fullResolution?.BeginRun())) psi.ArgumentList.Add(a);

        Process process;
        try
        {
            process = ChildProcess.Start(psi);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (new ConnectionAttempt(0, TimeSpan.Zero, $"cannot start ffmpeg: {ex.Message} (apt-get install ffmpeg)", true), false);
        }

        if (_options.DecoderNice != 0) Priority.TrySetNice(process.Id, _options.DecoderNice);   // before ffmpeg starts its threads
        LogConnecting(_camera.Id, _camera.SafeUrl, process.Id);
        // Room for two whole frames in the pipe (up to the system's 1 MiB limit): fewer wake-ups of ffmpeg and of this reader.
        Pipes.TryGrow(process.StandardOutput.BaseStream, 2 * FrameBytes);
        using var stderr = new StderrPump(process, _camera, _health, _options, _logger);
        var started = Stopwatch.GetTimestamp();
        long firstFrameAt = 0;
        long frames = 0;
        long read = 0;   // frames read off stdout in this run: the number of the matching full-resolution file
        string? stallReason = null;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            // A full decoder joining a long-GOP stream mid-GOP has nothing to show until the next key frame: wait that long.
            stall.CancelAfter((fullDecode ? Max(_camera.Decode.StallTimeout, LongGopFirstFrame) : _camera.Decode.StallTimeout) + _camera.Decode.SocketTimeout);
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
                fullResolution?.Arrived(++read);
                var captured = await _source.CaptureTimeAsync(stderr.FrameTimes, stall.Token).ConfigureAwait(false);
                if (watchGop && previous is { } prev && captured - prev is var gap && (switchAfter is { } limit ? gap > limit : gap > warnAfter && !_longGopReported))
                {
                    _longGopReported = true;
                    if (switchAfter is not null)
                    {
                        // This frame is left to the full decoder (a clip's decodes again from the start; the source skips what was handed on).
                        ArrayPool<byte>.Shared.Return(buffer);
                        _fullDecode = longGop = true;
                        var interval = _camera.Decode.MaxAnalysisInterval!.Value.TotalSeconds;
                        _health.DecodeNote = $"key frames {gap.TotalSeconds:0.#} s apart, longer than max_analysis_interval {interval:0.###} s: decoding every frame, one analysed per {interval:0.###} s (more CPU)";
                        LogLongGopFullDecode(_camera.Id, gap.TotalSeconds, interval);
                        break;
                    }
                    _health.DecodeNote = $"key frames {gap.TotalSeconds:0.#} s apart: analysed once per {gap.TotalSeconds:0.#} s in key-frame mode (set decode.max_analysis_interval to decode non-key frames)";
                    LogLongGopKeyframesOnly(_camera.Id, gap.TotalSeconds);
                }
                previous = captured;
                if (!_source.Admit(captured))
                {
                    ArrayPool<byte>.Shared.Return(buffer);   // already handed on before the decoder restarted
                    continue;
                }
                if (frames++ == 0)
                {
                    firstFrameAt = arrival;
                    _health.SetState(CameraState.Streaming);
                    LogStreaming(_camera.Id, source.Codec, source.Width, source.Height);
                }
                _health.FrameIn();
                var frame = new Frame(_camera.Id, Interlocked.Increment(ref _sequence), captured, arrival, buffer, FrameBytes, geometry, source.Width, source.Height)
                {
                    FullResolutionPath = fullResolution?.PathOf(read),
                };
                if (!_output.TryWrite(frame)) await WriteAsync(frame, ct).ConfigureAwait(false);   // a full queue that waits: back-pressure
            }
        }
        catch (EndOfStreamException)
        {
            // ffmpeg closed stdout: it exited or the stream ended.
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && watchGop && frames > 0 && switchAfter is { } limit && _camera.Decode.StallTimeout >= limit)
        {
            // Key-frame mode, streaming, then no key frame within the stall timeout: key frames further apart than that
            // (a live long-GOP camera never shows two before the watchdog fires). Not a fault: go on with the full decoder.
            _longGopReported = _fullDecode = longGop = true;
            var interval = _camera.Decode.MaxAnalysisInterval!.Value.TotalSeconds;
            _health.DecodeNote = $"no key frame for {_camera.Decode.StallTimeout.TotalSeconds:0} s, longer than max_analysis_interval {interval:0.###} s: decoding every frame, one analysed per {interval:0.###} s (more CPU)";
            LogLongGopFullDecode(_camera.Id, _camera.Decode.StallTimeout.TotalSeconds, interval);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            stallReason = frames == 0 || !watchGop ? (frames == 0
                ? $"no video within {(_camera.Decode.StallTimeout + _camera.Decode.SocketTimeout).TotalSeconds:0} s"
                : $"stalled: no frame for {_camera.Decode.StallTimeout.TotalSeconds:0} s")
                : $"stalled: no key frame for {_camera.Decode.StallTimeout.TotalSeconds:0} s (key frames may be further apart: raise decode.stall_timeout, or set decode.max_analysis_interval to decode non-key frames)";
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
        return (new ConnectionAttempt(frames, streamed, reason, permanent && frames == 0), longGop);
    }

    /// <summary>Waits for room in the output; a frame that cannot be written (output completed, or stopping) is released.</summary>
    private async ValueTask WriteAsync(Frame frame, CancellationToken ct)
    {
        try
        {
            await _output.WriteAsync(frame, ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            frame.Release();
        }
        catch (OperationCanceledException)
        {
            frame.Release();
            throw;
        }
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

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning,
        Message = "Camera {CameraId}: key frames {GapSeconds:0.#} s apart, longer than max_analysis_interval {IntervalSeconds} s: restarting the decoder to decode every frame, one analysed per {IntervalSeconds} s")]
    private partial void LogLongGopFullDecode(string cameraId, double gapSeconds, double intervalSeconds);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning,
        Message = "Camera {CameraId}: key frames {GapSeconds:0.#} s apart: analysed only that often in key-frame mode; set decode.max_analysis_interval to decode non-key frames at the wanted rate")]
    private partial void LogLongGopKeyframesOnly(string cameraId, double gapSeconds);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning,
        Message = "Camera {CameraId}: no full-resolution frames ({Root}: {Reason}); evidence is cut from the model-input frame")]
    private partial void LogFullResolutionUnavailable(string cameraId, string root, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Camera {CameraId}: ingest stopped")]
    private partial void LogStopped(string cameraId);
}
