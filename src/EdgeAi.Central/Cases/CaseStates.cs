namespace EdgeAi.Central.Cases;

/// <summary>
/// Case states as stored and shown: detected → filed → accepted → dispatched → resolved → verified → closed,
/// or rejected / false_positive; reopened when the camera still sees the problem after resolution; dead when
/// filing was given up.
/// </summary>
internal static class CaseStates
{
    public const string Detected = "detected";
    public const string Filed = "filed";
    public const string Accepted = "accepted";
    public const string Dispatched = "dispatched";
    public const string Resolved = "resolved";
    public const string Verified = "verified";
    public const string Closed = "closed";
    public const string Rejected = "rejected";
    public const string FalsePositive = "false_positive";
    public const string Reopened = "reopened";
    public const string Dead = "dead";

    public static IReadOnlyList<string> All { get; } = [Detected, Filed, Accepted, Dispatched, Resolved, Verified, Closed, Rejected, FalsePositive, Reopened, Dead];

    /// <summary>States a platform may report.</summary>
    public static IReadOnlyList<string> FromPlatform { get; } = [Accepted, Dispatched, Resolved, Closed, Rejected, FalsePositive];

    /// <summary>States in which the platform still works on the case (polled when polling is on).</summary>
    public static IReadOnlyList<string> Active { get; } = [Filed, Accepted, Dispatched, Reopened];
}
