namespace EdgeAi.Central.Incidents;

/// <summary>Incident states as stored.</summary>
internal static class IncidentStates
{
    public const string Open = "open";
    public const string Closed = "closed";
}
