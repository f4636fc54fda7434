namespace EdgeAi.Central.Storage;

/// <summary>One step of a case's history.</summary>
internal sealed class TimelineRow
{
    public long Id { get; set; }

    public string CaseId { get; set; } = "";

    public long At { get; set; }

    public string State { get; set; } = "";

    public string Source { get; set; } = "";

    public string? Detail { get; set; }
}
