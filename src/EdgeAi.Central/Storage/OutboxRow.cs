namespace EdgeAi.Central.Storage;

/// <summary>Work owed to the outside world (file, notify, verify), retried until done or parked dead.</summary>
internal sealed class OutboxRow
{
    public long Id { get; set; }

    public string CaseId { get; set; } = "";

    public OutboxKind Kind { get; set; }

    /// <summary>The kind column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string KindText { get => Kind.ToText(); set => Kind = StoredText<OutboxKind>.Parse(value); }

    public string? Payload { get; set; }

    public long Attempts { get; set; }

    public long CreatedAt { get; set; }

    public long NextAttemptAt { get; set; }

    public string? LockedBy { get; set; }

    public long? LockedUntil { get; set; }

    public string? LastError { get; set; }

    public long? DoneAt { get; set; }

    public long Dead { get; set; }
}
