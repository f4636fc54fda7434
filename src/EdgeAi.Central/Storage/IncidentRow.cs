namespace EdgeAi.Central.Storage;

/// <summary>One row of incidents: a place where one scenario was seen, by one or more cameras. Times are Unix ms.</summary>
internal sealed class IncidentRow
{
    public string IncidentId { get; set; } = "";

    public string Scenario { get; set; } = "";

    public IncidentState State { get; set; }

    /// <summary>The state column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string StateText { get => State.ToText(); set => State = StoredText<IncidentState>.Parse(value); }

    public double Lat { get; set; }

    public double Lon { get; set; }

    public string ZoneId { get; set; } = "";

    public long FirstSeen { get; set; }

    public long LastSeen { get; set; }

    public long? ClosedAt { get; set; }

    public string? CloseReason { get; set; }

    public long EventCount { get; set; }

    public long Revision { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public string? GridCode { get; set; }
}
