namespace EdgeAi.Worker.Ingest;

/// <summary>Reconnect policy shared by all cameras. Defaults: 1 s doubling to 60 s, ±20 % jitter, reset after 30 s healthy.</summary>
public sealed record IngestOptions
{
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromSeconds(1);
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

    /// <summary>Next delay after <paramref name="current"/>: doubled, capped.</summary>
    public TimeSpan Next(TimeSpan current) => TimeSpan.FromTicks(Math.Min(current.Ticks * 2, BackoffMax.Ticks));

    /// <summary><paramref name="delay"/> with ±20 % jitter so cameras behind one failed switch do not reconnect in lock-step.</summary>
    public static TimeSpan Jitter(TimeSpan delay, Random random) => delay * (0.8 + random.NextDouble() * 0.4);
}
