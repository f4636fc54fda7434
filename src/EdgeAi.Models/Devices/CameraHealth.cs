using System.Text.Json.Serialization;

namespace EdgeAi.Models.Devices;

/// <summary>One camera's pipeline health in a <see cref="DeviceHealth"/> snapshot. Counters are totals since the worker started. Nullable fields without a default are always written, null included, and must be present on read.</summary>
/// <param name="CameraId">Camera id as configured.</param>
/// <param name="State">connecting, streaming, degraded, failed or stopped (set by the pipeline).</param>
/// <param name="FpsIn">Frames per second read from the stream (last interval).</param>
/// <param name="FpsAnalysed">Frames per second that reached inference (last interval).</param>
/// <param name="FramesIn">Frames read.</param>
/// <param name="FramesAnalysed">Frames analysed.</param>
/// <param name="Dropped">Frames dropped by the bounded queues (latest frame wins).</param>
/// <param name="Reconnects">Stream reconnects.</param>
/// <param name="LastFrameAgeS">Seconds since the last frame; null before the first.</param>
/// <param name="DecodeErrors">Decoder errors reported.</param>
/// <param name="InferenceP50Ms">Median inference latency over the last interval, milliseconds.</param>
/// <param name="InferenceP99Ms">99th percentile inference latency over the last interval, milliseconds.</param>
/// <param name="ExecutionProvider">ONNX Runtime provider in use, e.g. CPUExecutionProvider.</param>
/// <param name="QualityFlags">Image quality findings (<see cref="QualityFlagNames"/>): black, overexposed, blurred, frozen, occluded, scene_changed; empty when fine.</param>
/// <param name="LastError">Last stream or decode error; null when none.</param>
/// <param name="DecodeNote">How the camera is decoded when that differs from its config, or why it is analysed less often than wanted (long GOP); null (omitted) when nothing to say.</param>
/// <param name="Recording">Rolling recording (record: true cameras only); null (omitted) otherwise.</param>
/// <param name="Quality">Measurements behind <paramref name="QualityFlags"/> on the last analysed frame; null (omitted) before the first analysed frame or from workers that do not measure them.</param>
public sealed record CameraHealth(
    string CameraId,
    string State,
    double FpsIn,
    double FpsAnalysed,
    long FramesIn,
    long FramesAnalysed,
    long Dropped,
    long Reconnects,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? LastFrameAgeS,
    long DecodeErrors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? InferenceP50Ms,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? InferenceP99Ms,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ExecutionProvider,
    IReadOnlyList<string> QualityFlags,
    string? LastError = null,
    CameraQuality? Quality = null,
    string? DecodeNote = null,
    RecordingHealth? Recording = null);

/// <summary>A recording camera's rolling recording (schema 1.1; omitted for cameras that do not record).</summary>
/// <param name="Segments">Segments in the ring now.</param>
/// <param name="Bytes">Bytes on disk in the ring now.</param>
/// <param name="Seconds">Seconds of video in the ring now.</param>
/// <param name="ClipsMade">Event clips cut from this camera's ring since start.</param>
public sealed record RecordingHealth(int Segments, long Bytes, double Seconds, long ClipsMade);
