using System.Text.Json.Serialization;

namespace EdgeAi.Models.Events;

/// <summary>Reference to an evidence blob. An <see cref="EvidenceDelivery.Attached"/> blob is published on
/// <c>edgeai/v1/{device}/evidence/{Id}</c>; an <see cref="EvidenceDelivery.OnDevice"/> one stays on the gateway and is
/// sent only when Central asks for it with a <see cref="Devices.DeviceCommandTypes.FetchEvidence"/> command.</summary>
/// <param name="Id">Evidence id, also the last topic segment (1–64 of [A-Za-z0-9._-]).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the blob.</param>
/// <param name="Bytes">Blob size in bytes.</param>
/// <param name="ContentType">MIME type, e.g. image/jpeg or video/mp4; also the MQTT 5 content type of the blob.</param>
/// <param name="Kind">One of <see cref="EvidenceKinds"/>: snapshot (full annotated frame), crop, clip or after.</param>
public sealed record EvidenceRef(string Id, string Sha256, long Bytes, string ContentType, string Kind = EvidenceKinds.Snapshot)
{
    /// <summary>Picture or video width in pixels (schema 1.1); null when not said.</summary>
    public int? Width { get; init; }

    /// <summary>Picture or video height in pixels (schema 1.1); null when not said.</summary>
    public int? Height { get; init; }

    /// <summary>For a clip: capture time of its first frame (UTC; schema 1.1).</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>For a clip: capture time of its last frame (UTC; schema 1.1).</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>True when persons (and faces/plates where a model gives them) are blurred; false when the blob shows
    /// them as seen. Null: not said (schema 1.0 senders blurred snapshots per their configuration).</summary>
    public bool? Blurred { get; init; }

    /// <summary>Whether the blob travels with the event or waits on the gateway (schema 1.1; default attached).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EvidenceDelivery Delivery { get; init; } = EvidenceDelivery.Attached;
}

/// <summary>Evidence kinds on the wire.</summary>
public static class EvidenceKinds
{
    /// <summary>The analysed frame at the camera's own resolution, detections drawn.</summary>
    public const string Snapshot = "snapshot";

    /// <summary>The object at source resolution.</summary>
    public const string Crop = "crop";

    /// <summary>A short video around the episode start (stream copy or re-encoded blurred).</summary>
    public const string Clip = "clip";

    /// <summary>A fresh full-resolution picture taken to verify a closure (the after-photo).</summary>
    public const string After = "after";
}

/// <summary>How an evidence blob reaches Central.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EvidenceDelivery>))]
public enum EvidenceDelivery
{
    /// <summary>Published on the evidence topic before the event that references it.</summary>
    [JsonStringEnumMemberName("attached")] Attached,

    /// <summary>Kept on the gateway (e.g. an unblurred clip); fetched by Central on an authorised request.</summary>
    [JsonStringEnumMemberName("on_device")] OnDevice,
}
