namespace EdgeAi.Central.Storage;

/// <summary>
/// A change to one case decided under its lock: the new state with a timeline entry, and the work it causes,
/// written in the same transaction (outbox items, a verification command).
/// </summary>
internal sealed record CaseUpdate(CaseState NewState, string Source, string? Detail)
{
    public IReadOnlyList<OutboxRow> Outbox { get; init; } = [];

    public CommandRow? Command { get; init; }

    public string? PlatformCaseId { get; init; }

    /// <summary>True when the case itself does not change (only the timeline entry and effects are written).</summary>
    public bool KeepState { get; init; }

    /// <summary>An operator's (or the timeout's) review decision, written on the case.</summary>
    public CaseReviewRecord? Review { get; init; }

    /// <summary>Sets the case's deadline (when it goes to the platform).</summary>
    public long? DeadlineAt { get; init; }

    /// <summary>Marks the case escalated (督办) with this reason.</summary>
    public string? Escalation { get; init; }

    /// <summary>Counts one more reopening by the closure check.</summary>
    public bool Reopened { get; init; }

    /// <summary>The platform's evaluation (评价) with its note.</summary>
    public (string Value, string? Note)? Evaluation { get; init; }
}

/// <summary>A review decision: outcome, who, why, a note and, on confirmation, an edited category.</summary>
internal sealed record CaseReviewRecord(ReviewOutcome Outcome, string By, string? Reason, string? Note, EdgeAi.Central.Configuration.PlatformCategory? Category);
