namespace EdgeAi.Central.Storage;

/// <summary>One step of a case's history.</summary>
internal sealed class TimelineRow
{
    public long Id { get; set; }

    public string CaseId { get; set; } = "";

    public long At { get; set; }

    public CaseState State { get; set; }

    /// <summary>The state column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string StateText { get => State.ToText(); set => State = StoredText<CaseState>.Parse(value); }

    public string Source { get; set; } = "";

    public string? Detail { get; set; }
}
