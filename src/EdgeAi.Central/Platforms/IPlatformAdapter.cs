namespace EdgeAi.Central.Platforms;

/// <summary>
/// A governance platform. Implementations never throw for platform or network faults: they return a
/// <see cref="PlatformResult"/> saying whether a retry may help.
/// </summary>
internal interface IPlatformAdapter
{
    /// <summary>Files a case. Must be idempotent by <see cref="CaseFiling.IncidentId"/> (sent as Idempotency-Key).</summary>
    Task<PlatformResult> FileAsync(CaseFiling filing, CancellationToken ct);

    /// <summary>Tells the platform about a state change decided by Central (verified, reopened).</summary>
    Task<PlatformResult> NotifyAsync(CaseNotification notification, CancellationToken ct);

    /// <summary>The platform's current state of a case (for polling); null when it cannot say.</summary>
    Task<PlatformStatus?> GetStatusAsync(string platformCaseId, CancellationToken ct);
}
