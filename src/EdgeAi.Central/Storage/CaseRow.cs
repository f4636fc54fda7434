namespace EdgeAi.Central.Storage;

/// <summary>A case on the governance platform for one incident (at most one per incident).</summary>
internal sealed class CaseRow
{
    public string CaseId { get; set; } = "";

    public string IncidentId { get; set; } = "";

    public string Scenario { get; set; } = "";

    public string State { get; set; } = "";

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
}
