namespace EdgeAi.Models.Events;

/// <summary>
/// One scenario event from an edge gateway, schema v1 (JSON, snake_case; see schemas/edge-event.v1.schema.json).
/// An incident at the edge is an <em>episode</em>: one <see cref="EventType.Started"/>, zero or more
/// <see cref="EventType.Updated"/> (rate-limited) and one <see cref="EventType.Ended"/>, all with the same
/// <see cref="EpisodeId"/>. Consumers de-duplicate by <see cref="EventId"/> (QoS 1 may redeliver) and detect
/// gaps by the per-device <see cref="Sequence"/>. Parse with <see cref="EdgeEventParser"/>, check with
/// <see cref="EdgeEventValidator"/>.
/// </summary>
public sealed record EdgeEvent
{
    /// <summary>"major.minor" (<see cref="EdgeEventSchema.CurrentVersion"/>); consumers reject an unknown major version and tolerate unknown fields.</summary>
    public required string SchemaVersion { get; init; }

    /// <summary>UUIDv7 (time-ordered), unique per event; see <see cref="UuidV7"/>.</summary>
    public required Guid EventId { get; init; }

    /// <summary>Stable for the lifetime of one edge episode (started → ended).</summary>
    public required Guid EpisodeId { get; init; }

    /// <summary>Lifecycle step of the episode.</summary>
    public required EventType Type { get; init; }

    /// <summary>Per-device sequence number (1, 2, …), assigned by the worker's outbox; strictly increasing by one across restarts.
    /// 0 only before the outbox has assigned it.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gateway id; equals the MQTT user name and the topic segment.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The camera that saw it.</summary>
    public required CameraInfo Camera { get; init; }

    /// <summary>One of <see cref="Scenarios"/>.</summary>
    public required string Scenario { get; init; }

    /// <summary>The zone the rule watched.</summary>
    public required ZoneInfo Zone { get; init; }

    /// <summary>The rule as evaluated: its parameters and what was measured against them.</summary>
    public required RuleEvaluation Rule { get; init; }

    /// <summary>Detections that made the rule fire (may be empty for an <see cref="EventType.Ended"/> event).</summary>
    public required IReadOnlyList<DetectedObject> Objects { get; init; }

    /// <summary>The analysed frame.</summary>
    public required FrameInfo Frame { get; init; }

    /// <summary>When the rule decided (UTC).</summary>
    public required DateTimeOffset DetectionTime { get; init; }

    /// <summary>Set by the publisher when the event leaves the outbox (UTC, re-stamped on a resend); null until then.</summary>
    public DateTimeOffset? PublishTime { get; init; }

    /// <summary>The detector that produced <see cref="Objects"/>.</summary>
    public required ModelInfo Model { get; init; }

    /// <summary>Evidence published separately on edgeai/v1/{device}/evidence/{id}; may be empty. A blob shed by the
    /// outbox's overflow policy keeps its reference here but never arrives. A clip (<see cref="EvidenceKinds.Clip"/>) is listed on
    /// an <see cref="EventType.Updated"/> event of its episode once cut (the started event never waits for it), or on the
    /// ended event when the episode ended first; an <see cref="EvidenceDelivery.OnDevice"/> clip is not published until Central
    /// sends fetch_evidence.</summary>
    public IReadOnlyList<EvidenceRef> Evidence { get; init; } = [];
}
