namespace EdgeAi.Central.Storage;

/// <summary>
/// A change to one case decided under its lock: the new state with a timeline entry, and the work it causes,
/// written in the same transaction (outbox items, a verification command).
/// </summary>
internal sealed record CaseUpdate(string NewState, string Source, string? Detail)
{
    public IReadOnlyList<OutboxRow> Outbox { get; init; } = [];

    public CommandRow? Command { get; init; }

    public string? PlatformCaseId { get; init; }

    /// <summary>True when the case itself does not change (only the timeline entry and effects are written).</summary>
    public bool KeepState { get; init; }
}
