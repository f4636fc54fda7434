using EdgeAi.Central.Storage;

namespace EdgeAi.Central.Cases;

/// <summary>Which state changes are allowed. Anything else (a late or repeated callback) is ignored and noted in the timeline.</summary>
internal static class CaseStateMachine
{
    private static readonly Dictionary<string, string[]> Next = new()
    {
        // A platform callback may overtake the filing acknowledgement (e.g. Central crashed after sending).
        [CaseStates.Detected] = [CaseStates.Filed, CaseStates.Accepted, CaseStates.Dispatched, CaseStates.Resolved, CaseStates.Rejected, CaseStates.FalsePositive, CaseStates.Closed, CaseStates.Dead],
        [CaseStates.Filed] = [CaseStates.Accepted, CaseStates.Dispatched, CaseStates.Resolved, CaseStates.Rejected, CaseStates.FalsePositive, CaseStates.Closed],
        [CaseStates.Accepted] = [CaseStates.Dispatched, CaseStates.Resolved, CaseStates.Rejected, CaseStates.FalsePositive, CaseStates.Closed],
        [CaseStates.Dispatched] = [CaseStates.Resolved, CaseStates.Rejected, CaseStates.FalsePositive, CaseStates.Closed],
        [CaseStates.Resolved] = [CaseStates.Verified, CaseStates.Reopened, CaseStates.Unverifiable, CaseStates.Closed, CaseStates.Rejected, CaseStates.FalsePositive],
        // the operator decides (verified or reopened); the platform may still close, reject, or report resolved again (checked again)
        [CaseStates.Unverifiable] = [CaseStates.Verified, CaseStates.Reopened, CaseStates.Resolved, CaseStates.Closed, CaseStates.Rejected, CaseStates.FalsePositive],
        [CaseStates.Verified] = [CaseStates.Closed],
        [CaseStates.Reopened] = [CaseStates.Accepted, CaseStates.Dispatched, CaseStates.Resolved, CaseStates.Rejected, CaseStates.FalsePositive, CaseStates.Closed],
        [CaseStates.Dead] = [CaseStates.Filed, CaseStates.Accepted, CaseStates.Dispatched, CaseStates.Resolved, CaseStates.Rejected, CaseStates.FalsePositive, CaseStates.Closed],
        [CaseStates.Held] = [CaseStates.Detected, CaseStates.Dismissed],
        [CaseStates.Recorded] = [CaseStates.Detected, CaseStates.Dismissed],
        [CaseStates.Dismissed] = [],
        [CaseStates.Closed] = [],
        [CaseStates.Rejected] = [],
        [CaseStates.FalsePositive] = [],
    };

    public static bool CanMove(string from, string to) => Next.TryGetValue(from, out var next) && Array.IndexOf(next, to) >= 0;

    public static bool IsKnown(string state) => Next.ContainsKey(state);
}
