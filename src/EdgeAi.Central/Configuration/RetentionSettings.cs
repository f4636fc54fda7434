namespace EdgeAi.Central.Configuration;

/// <summary>
/// How long Central keeps evidence images and dead letters (key <c>retention</c>): data minimisation, and a bound on
/// the database a flood of bad input can grow. Enforced by <see cref="Storage.RetentionService"/>, oldest first.
/// </summary>
internal sealed record RetentionSettings
{
    /// <summary>Evidence pictures (snapshots, crops, after-pictures) older than this (by receive time) are deleted. Default 90 days.</summary>
    public TimeSpan EvidenceMaxAge { get; init; } = TimeSpan.FromDays(90);

    /// <summary>At most this many bytes of evidence are kept; beyond it the oldest go first. Default 20 GiB.</summary>
    public long EvidenceMaxBytes { get; init; } = 20L << 30;

    /// <summary>Video clips (stored apart from pictures, with their own budget) older than this are deleted. Default 30 days.</summary>
    public TimeSpan ClipMaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>At most this many bytes of video clips are kept; beyond it the oldest go first. Default 50 GiB.</summary>
    public long ClipMaxBytes { get; init; } = 50L << 30;

    /// <summary>Dead letters older than this are deleted. Default 30 days.</summary>
    public TimeSpan DeadLetterMaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>At most this many dead letters are kept; beyond it the oldest go first. Default 1 000 000.</summary>
    public long DeadLetterMaxRows { get; init; } = 1_000_000;

    /// <summary>How often the limits are enforced. Default 300 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);
}
