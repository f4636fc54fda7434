using System.Diagnostics;
using System.Threading.Channels;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Health;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// Reads one ffmpeg process's stderr: finds the input video stream (codec, size), collects per-frame stream
/// times (showinfo, clip sources), keeps the last lines for the failure reason, and forwards lines to the log
/// rate-limited (<see cref="IngestOptions.StderrLinesPerMinute"/>; the excess is counted and summarised).
/// </summary>
internal sealed partial class StderrPump : IDisposable
{
    private readonly CameraConfig _camera;
    private readonly CameraHealth _health;
    private readonly ILogger _logger;
    private readonly int _linesPerMinute;
    private readonly Queue<string> _last = new();
    private readonly TaskCompletionSource<(string Codec, int Width, int Height)> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<double> _frameTimes = Channel.CreateUnbounded<double>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private long _windowStart = Stopwatch.GetTimestamp();
    private int _windowLines;
    private int _suppressed;

    public StderrPump(Process process, CameraConfig camera, CameraHealth health, IngestOptions options, ILogger logger)
    {
        _camera = camera;
        _health = health;
        _logger = logger;
        _linesPerMinute = options.StderrLinesPerMinute;
        Completion = Task.Run(() => PumpAsync(process.StandardError));
    }

    public Task<(string Codec, int Width, int Height)> SourceInfo => _source.Task;

    public ChannelReader<double> FrameTimes => _frameTimes.Reader;

    public Task Completion { get; }

    public IReadOnlyList<string> LastLines { get { lock (_last) return _last.ToList(); } }

    private async Task PumpAsync(StreamReader stderr)
    {
        try
        {
            while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (FfmpegStderr.TryParseShowInfoTime(line, out var t))
                {
                    _frameTimes.Writer.TryWrite(t);
                    continue;
                }
                // The rolling recording's segment muxer says so at each segment (twice a second): not a log line, and it
                // must not push the lines that explain a failure out of LastLines.
                if (line.StartsWith("[segment @", StringComparison.Ordinal) && line.Contains("] Opening '", StringComparison.Ordinal)) continue;
                lock (_last)
                {
                    _last.Enqueue(line);
                    if (_last.Count > 20) _last.Dequeue();
                }
                if (!_source.Task.IsCompleted && FfmpegStderr.TryParseVideoStream(line, out var codec, out var w, out var h))
                {
                    _health.Codec = codec;
                    _health.SourceSize = $"{w}x{h}";
                    _source.TrySetResult((codec, w, h));
                    continue;
                }
                if (_source.Task.IsCompleted && IsNoise(line)) continue;
                if (FfmpegStderr.IsDecodeError(line)) _health.DecodeError();
                Forward(line);
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            _source.TrySetException(new EndOfStreamException("ffmpeg ended before reporting a video stream"));
            _frameTimes.Writer.TryComplete();
            if (_suppressed > 0) LogSuppressed(_camera.Id, _suppressed);
        }
    }

    /// <summary>Header lines after the stream line (output mapping, metadata) are not worth a log line.</summary>
    private static bool IsNoise(string line) => line.StartsWith("  ", StringComparison.Ordinal) || line.StartsWith("Output #", StringComparison.Ordinal)
        || line.StartsWith("Stream mapping", StringComparison.Ordinal) || line.StartsWith("Press [q]", StringComparison.Ordinal);

    private void Forward(string line)
    {
        if (Stopwatch.GetElapsedTime(_windowStart) > TimeSpan.FromMinutes(1))
        {
            if (_suppressed > 0) LogSuppressed(_camera.Id, _suppressed);
            _windowStart = Stopwatch.GetTimestamp();
            _windowLines = 0;
            _suppressed = 0;
        }
        if (_windowLines++ < _linesPerMinute) LogLine(_camera.Id, Redact(line));
        else _suppressed++;
    }

    /// <summary>ffmpeg echoes the input URL in some messages; never let credentials reach the log.</summary>
    private string Redact(string line) => line.Replace(_camera.Url, _camera.SafeUrl, StringComparison.Ordinal);

    public void Dispose() => _frameTimes.Writer.TryComplete();

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Camera {CameraId} ffmpeg: {Line}")]
    private partial void LogLine(string cameraId, string line);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Camera {CameraId} ffmpeg: {Count} more stderr lines suppressed")]
    private partial void LogSuppressed(string cameraId, int count);
}
