using System.Text.Json.Serialization;

namespace EdgeAi.Models.Devices;

/// <summary>Outcome of a command; on the wire "cleared", "still_present", "unverifiable" or "error".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandResult>))]
public enum CommandResult
{
    [JsonStringEnumMemberName("cleared")] Cleared,
    [JsonStringEnumMemberName("still_present")] StillPresent,

    /// <summary>The camera cannot tell (frozen, black, occluded, moved): neither cleared nor still present (schema 1.1).</summary>
    [JsonStringEnumMemberName("unverifiable")] Unverifiable,
    [JsonStringEnumMemberName("error")] Error,

    /// <summary>fetch_evidence: the blob was published on the evidence topic; the reply's evidence holds its reference (schema 1.1).</summary>
    [JsonStringEnumMemberName("sent")] Sent,
}
