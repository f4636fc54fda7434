using System.Text.Json.Serialization;

namespace EdgeAi.Models.Devices;

/// <summary>A request from Central on <c>edgeai/v1/{device}/commands</c>; answered by a <see cref="CommandReply"/>. Nullable fields without a default are always written, null included, and must be present on read.</summary>
/// <param name="CommandId">Unique per request; the reply carries it back.</param>
/// <param name="Type">One of <see cref="DeviceCommandTypes"/>.</param>
/// <param name="CameraId">Camera to act on.</param>
/// <param name="ZoneId">Zone to re-check, for verify.</param>
/// <param name="Scenario">Scenario to re-check, for verify.</param>
/// <param name="EpisodeId">The edge episode the request is about, when known.</param>
/// <param name="RequestedAt">When Central sent it (UTC).</param>
/// <remarks>fetch_evidence sets <see cref="EvidenceId"/>.</remarks>
public sealed record DeviceCommand(
    Guid CommandId,
    string Type,
    string CameraId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ZoneId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Scenario,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] Guid? EpisodeId,
    DateTimeOffset RequestedAt)
{
    /// <summary>For fetch_evidence: the on-device evidence id to send (schema 1.1).</summary>
    public string? EvidenceId { get; init; }
}
