using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>
/// A case's state, stored and shown as its snake_case text (<see cref="StoredText{TEnum}"/>): detected → filed → accepted →
/// dispatched → resolved → verified → closed, or rejected / false_positive; reopened when the camera still sees the problem
/// after resolution; dead when filing was given up. Before filing a case may be held for review (held → detected, or
/// dismissed) or only recorded (recorded → detected when an operator confirms it, or dismissed). A closure the camera cannot
/// check (resolved → unverifiable) waits for an operator's decision: verified or reopened. Which state may follow which:
/// <see cref="CaseStates.CanMove"/>.
/// </summary>
[JsonConverter(typeof(StoredTextJsonConverter<CaseState>))]
internal enum CaseState
{
    Held,
    Recorded,
    Dismissed,
    Detected,
    Filed,
    Accepted,
    Dispatched,
    Resolved,
    Verified,
    Closed,
    Rejected,
    FalsePositive,
    Reopened,

    /// <summary>Resolved by the platform, but the camera could not check it (frozen, black, occluded, moved): an operator decides.</summary>
    Unverifiable,
    Dead,
}
