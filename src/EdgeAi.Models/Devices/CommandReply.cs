using System.Text.Json.Serialization;
using EdgeAi.Models.Events;

namespace EdgeAi.Models.Devices;

/// <summary>A worker's answer to a <see cref="DeviceCommand"/>, on <c>edgeai/v1/{device}/replies</c>. Nullable fields without a default are always written, null included, and must be present on read.</summary>
/// <param name="CommandId">The request's id.</param>
/// <param name="DeviceId">The answering gateway.</param>
/// <param name="Result">cleared, still_present, unverifiable (quality flags say the camera cannot tell) or error.</param>
/// <param name="Evidence">Blobs published on the evidence topic (correlation data = command id); may be empty.</param>
/// <param name="Detail">Human-readable detail, e.g. why it failed.</param>
/// <param name="RepliedAt">When the worker answered (UTC).</param>
public sealed record CommandReply(
    Guid CommandId,
    string DeviceId,
    CommandResult Result,
    IReadOnlyList<EvidenceRef> Evidence,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Detail,
    DateTimeOffset RepliedAt);
