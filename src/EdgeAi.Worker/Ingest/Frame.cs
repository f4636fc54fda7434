using System.Buffers;
using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// One decoded frame: planar GBR bytes at the model input size (letterboxed by ffmpeg), in a buffer rented
/// from <see cref="ArrayPool{T}.Shared"/>. Exactly one owner at a time; the last owner calls <see cref="Release"/>.
/// </summary>
public sealed class Frame
{
    private byte[]? _buffer;

    internal Frame(string cameraId, long sequence, DateTimeOffset captureTime, long arrivalTimestamp, byte[] buffer, int length, LetterboxGeometry geometry, int sourceWidth, int sourceHeight)
    {
        CameraId = cameraId;
        Sequence = sequence;
        CaptureTime = captureTime;
        ArrivalTimestamp = arrivalTimestamp;
        _buffer = buffer;
        Length = length;
        Geometry = geometry;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
    }

    public string CameraId { get; }

    /// <summary>Per-camera frame counter since the worker started.</summary>
    public long Sequence { get; }

    /// <summary>Wall-clock time the frame was read (UTC).</summary>
    public DateTimeOffset CaptureTime { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp at arrival, for latency measurement.</summary>
    public long ArrivalTimestamp { get; }

    public int Length { get; }

    public LetterboxGeometry Geometry { get; }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    /// <summary>
    /// The same picture at the camera's own resolution, a JPEG written by the same ffmpeg (<see cref="FullResolutionFrames"/>);
    /// null when full-resolution evidence is off. The file may be gone when the frame waited long (read it, don't expect it).
    /// </summary>
    public string? FullResolutionPath { get; internal set; }

    public ReadOnlyMemory<byte> Data => _buffer is { } b ? b.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(Frame));

    /// <summary>
    /// Detections of the models that already ran on this frame when a camera's frames go through several models in turn
    /// (<see cref="Pipeline.InferenceStage"/> chains them); null until the first of several has run.
    /// </summary>
    internal List<Detection.Detection>? Earlier { get; set; }

    /// <summary>Ids of the models that produced <see cref="Earlier"/>, joined with '+'.</summary>
    internal string? EarlierModels { get; set; }

    /// <summary>Returns the buffer to the pool. Idempotent.</summary>
    public void Release()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null) ArrayPool<byte>.Shared.Return(b);
    }
}
