namespace EdgeAi.Worker.Ingest;

/// <summary>
/// Reconnect policy shared by all cameras (<see cref="ReconnectBackoff"/>). Defaults: exponential from 1 s (median doubling,
/// Polly's decorrelated jitter) capped at 60 s, permanent faults at the cap, reset after 30 s of stable stream.
/// </summary>
public sealed record IngestOptions
{
    /// <summary>Median delay before the first reconnect; the n-th waits about this × 2^n. Default 1 s.</summary>
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between reconnects, and the delay after a permanent fault. Default 60 s.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A run that streamed at least this long resets the backoff to <see cref="BackoffMin"/>.</summary>
    public TimeSpan HealthyPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed attempts (no frame) after which the state is reported as failed. Default 3.</summary>
    public int FailedAfterAttempts { get; init; } = 3;

    /// <summary>ffmpeg stderr lines logged per camera per minute; the rest are counted and summarised. Default 10.</summary>
    public int StderrLinesPerMinute { get; init; } = 10;

    /// <summary>
    /// Nice value of each camera's ffmpeg (0 = as the worker; default 10, lower priority). Decoders hold frames in their
    /// own buffers and catch up; the worker's inference and delivery threads decide the latency. At 32 cameras on two cores
    /// the decoders, at equal priority, made single inference runs take up to 40× their usual time.
    /// </summary>
    public int DecoderNice { get; init; } = 10;

    /// <summary>
    /// Folder for the cameras' full-resolution frame rings (<see cref="FullResolutionFrames"/>), so evidence shows the
    /// analysed frame at the camera's own size; null (default) = model frames only (evidence at the model input size).
    /// Set from <c>evidence.full_resolution</c>.
    /// </summary>
    public string? FullResolutionRoot { get; init; }
}
