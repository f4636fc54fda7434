namespace EdgeAi.Models.Events;

/// <summary>
/// One scenario event from an edge gateway, schema v1 (JSON, snake_case; see schemas/edge-event.v1.schema.json).
/// An incident at the edge is an <em>episode</em>: one <see cref="EventType.Started"/>, zero or more
/// <see cref="EventType.Updated"/> (rate-limited) and one <see cref="EventType.Ended"/>, all with the same
/// <see cref="EpisodeId"/>. Consumers de-duplicate by <see cref="EventId"/> (QoS 1 may redeliver) and detect
/// gaps by the per-device <see cref="Sequence"/>.
/// </summary>
public sealed record EdgeEvent
{
    /// <summary>"major.minor"; consumers reject an unknown major version and tolerate unknown fields.</summary>
    public required string SchemaVersion { get; init; }

    /// <summary>UUIDv7 (time-ordered), unique per event.</summary>
    public required Guid EventId { get; init; }

    /// <summary>Stable for the lifetime of one edge episode (started → ended).</summary>
    public required Guid EpisodeId { get; init; }

    public required EventType Type { get; init; }

    /// <summary>Per-device sequence number, strictly increasing by one across restarts.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gateway id; equals the MQTT user name and the topic segment.</summary>
    public required string DeviceId { get; init; }

    public required CameraInfo Camera { get; init; }

    /// <summary>One of <see cref="Scenarios"/>.</summary>
    public required string Scenario { get; init; }

    public required ZoneInfo Zone { get; init; }

    /// <summary>The rule as evaluated: its parameters and what was measured against them.</summary>
    public required RuleEvaluation Rule { get; init; }

    public required IReadOnlyList<DetectedObject> Objects { get; init; }

    public required FrameInfo Frame { get; init; }

    /// <summary>When the rule decided (UTC).</summary>
    public required DateTimeOffset DetectionTime { get; init; }

    /// <summary>Set by the publisher when the event leaves the outbox (UTC); null until then.</summary>
    public DateTimeOffset? PublishTime { get; init; }

    public required ModelInfo Model { get; init; }

    /// <summary>Evidence published separately on edgeai/v1/{device}/evidence/{id}; may be empty.</summary>
    public IReadOnlyList<EvidenceRef> Evidence { get; init; } = [];
}

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<EventType>))]
public enum EventType
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("started")] Started,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("updated")] Updated,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("ended")] Ended,
}

/// <summary>The four scenario names used on the wire.</summary>
public static class Scenarios
{
    public const string Litter = "litter";
    public const string RoadCollapse = "road_collapse";
    public const string IllegalFishing = "illegal_fishing";
    public const string Crowding = "crowding";

    public static IReadOnlyList<string> All { get; } = [Litter, RoadCollapse, IllegalFishing, Crowding];
}

/// <param name="Gb28181Id">Optional 20-digit GB/T 28181 device id.</param>
public sealed record CameraInfo(string Id, string Name, double Lat, double Lon, string? Gb28181Id = null);

/// <param name="Type">road, street, greenery, water, bank or plaza.</param>
/// <param name="AreaM2">Zone area in square metres, when configured (density rules).</param>
public sealed record ZoneInfo(string Id, string Type, string? Name = null, double? AreaM2 = null);

/// <param name="Parameters">Thresholds as configured, e.g. min_persons=8, min_duration_s=20.</param>
/// <param name="Measured">Values that met them, e.g. persons=11, duration_s=23.5.</param>
public sealed record RuleEvaluation(string Name, IReadOnlyDictionary<string, double> Parameters, IReadOnlyDictionary<string, double> Measured);

/// <param name="Box">Normalised [x1, y1, x2, y2] in 0..1 of the source frame.</param>
/// <param name="TrackId">Tracker id, stable per camera while the object is tracked.</param>
public sealed record DetectedObject(string Class, double Confidence, IReadOnlyList<double> Box, long? TrackId = null);

/// <param name="Time">Capture time of the analysed frame (UTC).</param>
public sealed record FrameInfo(DateTimeOffset Time, int Width, int Height);

public sealed record ModelInfo(string Name, string Version, string Sha256);

/// <param name="Kind">snapshot (full frame, annotated) or crop.</param>
public sealed record EvidenceRef(string Id, string Sha256, long Bytes, string ContentType, string Kind = "snapshot");
