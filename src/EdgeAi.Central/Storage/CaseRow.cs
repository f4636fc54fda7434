namespace EdgeAi.Central.Storage;

/// <summary>A case on the governance platform for one incident (at most one per incident).</summary>
internal sealed class CaseRow
{
    public string CaseId { get; set; } = "";

    public string IncidentId { get; set; } = "";

    public string Scenario { get; set; } = "";

    public CaseState State { get; set; }

    /// <summary>The state column's text (how the database holds <see cref="State"/>; see <see cref="StoredTextColumns"/>).</summary>
    public string StateText { get => State.ToText(); set => State = StoredText<CaseState>.Parse(value); }

    public string Platform { get; set; } = "";

    public string? PlatformCaseId { get; set; }

    public string CategoryClass { get; set; } = "";

    public string CategorySubclass { get; set; } = "";

    public string CategoryCode { get; set; } = "";

    public long Attempts { get; set; }

    public string? LastError { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public long? FiledAt { get; set; }

    public string? DeviceId { get; set; }

    public string? CameraId { get; set; }

    public string? Model { get; set; }

    public string? Rule { get; set; }

    public string? ReviewPolicy { get; set; }

    public long? ReviewDueAt { get; set; }

    public long? ReviewedAt { get; set; }

    public string? ReviewedBy { get; set; }

    public ReviewOutcome? ReviewOutcome { get; set; }

    /// <summary>The review_outcome column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string? ReviewOutcomeText
    {
        get => ReviewOutcome?.ToText();
        set => ReviewOutcome = value is null ? null : StoredText<ReviewOutcome>.Parse(value);
    }

    public string? ReviewReason { get; set; }

    public string? ReviewNote { get; set; }

    public string? GridCode { get; set; }

    public string? Department { get; set; }

    public long? DeadlineAt { get; set; }

    public long? EscalatedAt { get; set; }

    public string? Escalation { get; set; }

    public long ReopenCount { get; set; }

    public string? Evaluation { get; set; }

    public string? EvaluationNote { get; set; }

    public long? ClosedAt { get; set; }
}
