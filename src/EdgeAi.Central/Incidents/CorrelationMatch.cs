namespace EdgeAi.Central.Incidents;

/// <summary>The incident an event joins (null: open a new one) and why.</summary>
internal readonly record struct CorrelationMatch(IncidentSnapshot? Incident, CorrelationReason Reason);
