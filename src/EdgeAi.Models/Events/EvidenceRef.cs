namespace EdgeAi.Models.Events;

/// <summary>Reference to an evidence blob published on <c>edgeai/v1/{device}/evidence/{Id}</c>.</summary>
/// <param name="Id">Evidence id, also the last topic segment (1–64 of [A-Za-z0-9._-]).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the blob.</param>
/// <param name="Bytes">Blob size in bytes.</param>
/// <param name="ContentType">MIME type, e.g. image/jpeg; also the MQTT 5 content type of the blob.</param>
/// <param name="Kind">snapshot (full frame, annotated) or crop.</param>
public sealed record EvidenceRef(string Id, string Sha256, long Bytes, string ContentType, string Kind = "snapshot");
