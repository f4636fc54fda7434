namespace EdgeAi.Central.Storage;

/// <summary>Work owed to the outside world (file, notify, verify), retried until done or parked dead.</summary>
internal sealed class OutboxRow
{
    public long Id { get; set; }

    public string CaseId { get; set; } = "";

    private string? _unknownKind;

    public OutboxKind Kind
    {
        get;
        set
        {
            field = value;
            _unknownKind = null;
        }
    }

    /// <summary>
    /// The kind column's text (see <see cref="StoredTextColumns"/>). A word this version does not know (written by a newer one)
    /// is kept, with <see cref="Kind"/> undefined, so the dispatcher parks that item instead of every claim failing.
    /// </summary>
    public string KindText
    {
        get => _unknownKind ?? Kind.ToText();
        set
        {
            Kind = StoredText<OutboxKind>.TryParse(value, out var kind) ? kind : (OutboxKind)(-1);
            if (!Enum.IsDefined(Kind)) _unknownKind = value;
        }
    }

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
