namespace EdgeAi.Central.Configuration;

/// <summary>Outbox retries (key <c>platform.retry</c>): exponential backoff with jitter (Polly, see OutboxRetry), then parked as dead.</summary>
internal sealed record RetrySettings
{
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts before the item is parked dead. Default 20.</summary>
    public int MaxAttempts { get; init; } = 20;

    /// <summary>An item older than this is parked dead after its next failure. Default 24 h.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);
}
