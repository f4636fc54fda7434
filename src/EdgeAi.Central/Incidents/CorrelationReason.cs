namespace EdgeAi.Central.Incidents;

/// <summary>Why an event joined an incident (or did not).</summary>
internal enum CorrelationReason
{
    /// <summary>No incident matched: a new one is opened.</summary>
    New,

    /// <summary>The event's episode already belongs to the incident.</summary>
    Episode,

    /// <summary>Same camera, boxes overlap (IoU ≥ t), within the window.</summary>
    SameCameraOverlap,

    /// <summary>Another camera within R metres, within the window.</summary>
    NearbyCamera,

    /// <summary>The place's incident closed less than the cooldown ago: attached to it, no new incident.</summary>
    Cooldown,
}
