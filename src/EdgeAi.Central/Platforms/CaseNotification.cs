namespace EdgeAi.Central.Platforms;

/// <summary>A state change Central reports to the platform (e.g. verified, reopened). Stored as the outbox payload.</summary>
internal sealed record CaseNotification
{
    /// <summary>Unique per notification: its Idempotency-Key.</summary>
    public required string NotificationId { get; init; }

    public required string CaseRef { get; init; }

    public required string IncidentId { get; init; }

    /// <summary>Filled in when sent (the case may not have been acknowledged when the notification was written).</summary>
    public string? PlatformCaseId { get; init; }

    /// <summary>The case's state as text (<see cref="Storage.StoredText{TEnum}"/>), or <c>escalated</c> when the case is escalated (督办).</summary>
    public required string Status { get; init; }

    public string? Note { get; init; }

    public required DateTimeOffset At { get; init; }

    public IReadOnlyList<CaseMedia> Evidence { get; init; } = [];
}
