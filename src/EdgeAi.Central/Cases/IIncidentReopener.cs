namespace EdgeAi.Central.Cases;

/// <summary>
/// What the case workflow needs from the incidents: reopening one that a camera still sees after the case was
/// resolved. Implemented by <c>Incidents.IncidentService</c>; declared here so that Incidents depends on Cases and
/// never the other way round.
/// </summary>
internal interface IIncidentReopener
{
    /// <summary>Reopens the incident; false when it is unknown.</summary>
    Task<bool> ReopenAsync(string incidentId, string reason, CancellationToken ct);
}
