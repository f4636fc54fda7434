namespace EdgeAi.Central.Storage;

/// <summary>The case lifecycle in one place: groups of <see cref="CaseState"/>s and which state may follow which.</summary>
internal static class CaseStates
{
    /// <summary>Every state.</summary>
    public static IReadOnlyList<CaseState> All { get; } = Enum.GetValues<CaseState>();

    /// <summary>States that end a case (no deadline applies any more).</summary>
    public static IReadOnlyList<CaseState> Final { get; } =
        [CaseState.Verified, CaseState.Closed, CaseState.Rejected, CaseState.FalsePositive, CaseState.Dismissed, CaseState.Dead];

    /// <summary>States a platform may report.</summary>
    public static IReadOnlyList<CaseState> FromPlatform { get; } =
        [CaseState.Accepted, CaseState.Dispatched, CaseState.Resolved, CaseState.Closed, CaseState.Rejected, CaseState.FalsePositive];

    /// <summary>States in which the platform still works on the case (polled when polling is on).</summary>
    public static IReadOnlyList<CaseState> Active { get; } = [CaseState.Filed, CaseState.Accepted, CaseState.Dispatched, CaseState.Reopened];

    /// <summary>Decisions an operator may take on a closure the camera could not check (<see cref="CaseState.Unverifiable"/>).</summary>
    public static IReadOnlyList<CaseState> ClosureDecisions { get; } = [CaseState.Verified, CaseState.Reopened];

    public static bool IsFinal(this CaseState state) => Final.Contains(state);

    /// <summary>
    /// Which state changes are allowed. A platform report outside them (a late or repeated callback) is ignored and noted in
    /// the timeline; Central's own moves (filing, review, verification, an operator's closure decision) are among them.
    /// </summary>
    private static readonly Dictionary<CaseState, CaseState[]> Next = new()
    {
        // A platform callback may overtake the filing acknowledgement (e.g. Central crashed after sending).
        [CaseState.Detected] = [CaseState.Filed, CaseState.Accepted, CaseState.Dispatched, CaseState.Resolved, CaseState.Rejected, CaseState.FalsePositive, CaseState.Closed, CaseState.Dead],
        [CaseState.Filed] = [CaseState.Accepted, CaseState.Dispatched, CaseState.Resolved, CaseState.Rejected, CaseState.FalsePositive, CaseState.Closed],
        [CaseState.Accepted] = [CaseState.Dispatched, CaseState.Resolved, CaseState.Rejected, CaseState.FalsePositive, CaseState.Closed],
        [CaseState.Dispatched] = [CaseState.Resolved, CaseState.Rejected, CaseState.FalsePositive, CaseState.Closed],
        [CaseState.Resolved] = [CaseState.Verified, CaseState.Reopened, CaseState.Unverifiable, CaseState.Closed, CaseState.Rejected, CaseState.FalsePositive],
        // the operator decides (verified or reopened); the platform may still close, reject, or report resolved again (checked again)
        [CaseState.Unverifiable] = [CaseState.Verified, CaseState.Reopened, CaseState.Resolved, CaseState.Closed, CaseState.Rejected, CaseState.FalsePositive],
        [CaseState.Verified] = [CaseState.Closed],
        [CaseState.Reopened] = [CaseState.Accepted, CaseState.Dispatched, CaseState.Resolved, CaseState.Rejected, CaseState.FalsePositive, CaseState.Closed],
        [CaseState.Dead] = [CaseState.Filed, CaseState.Accepted, CaseState.Dispatched, CaseState.Resolved, CaseState.Rejected, CaseState.FalsePositive, CaseState.Closed],
        [CaseState.Held] = [CaseState.Detected, CaseState.Dismissed],
        [CaseState.Recorded] = [CaseState.Detected, CaseState.Dismissed],
        [CaseState.Dismissed] = [],
        [CaseState.Closed] = [],
        [CaseState.Rejected] = [],
        [CaseState.FalsePositive] = [],
    };

    public static bool CanMove(CaseState from, CaseState to) => Next.TryGetValue(from, out var next) && Array.IndexOf(next, to) >= 0;
}
