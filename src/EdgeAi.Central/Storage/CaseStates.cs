namespace EdgeAi.Central.Storage;

/// <summary>
/// Case states as stored and shown: detected → filed → accepted → dispatched → resolved → verified → closed,
/// or rejected / false_positive; reopened when the camera still sees the problem after resolution; dead when
/// filing was given up. Before filing a case may be held for review (held → detected, or dismissed) or only
/// recorded (recorded → detected when an operator confirms it, or dismissed). A closure the camera cannot check
/// (resolved → unverifiable) waits for an operator's decision: verified or reopened.
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

    /// <summary>Resolved by the platform, but the camera could not check it (frozen, black, occluded, moved): an operator decides.</summary>
    public const string Unverifiable = "unverifiable";
    public const string Dead = "dead";
    public const string Held = "held";
    public const string Recorded = "recorded";
    public const string Dismissed = "dismissed";

    public static IReadOnlyList<string> All { get; } = [Held, Recorded, Dismissed, Detected, Filed, Accepted, Dispatched, Resolved, Verified, Closed, Rejected, FalsePositive, Reopened, Unverifiable, Dead];

    /// <summary>States that end a case (no deadline applies any more).</summary>
    public static IReadOnlyList<string> Final { get; } = [Verified, Closed, Rejected, FalsePositive, Dismissed, Dead];

    /// <summary>States a platform may report.</summary>
    public static IReadOnlyList<string> FromPlatform { get; } = [Accepted, Dispatched, Resolved, Closed, Rejected, FalsePositive];

    /// <summary>States in which the platform still works on the case (polled when polling is on).</summary>
    public static IReadOnlyList<string> Active { get; } = [Filed, Accepted, Dispatched, Reopened];
}
