using System.Text.Json.Serialization;

namespace EdgeAi.Models.Devices;

/// <summary>Outcome of a command; on the wire "cleared", "still_present" or "error".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandResult>))]
public enum CommandResult
{
    [JsonStringEnumMemberName("cleared")] Cleared,
    [JsonStringEnumMemberName("still_present")] StillPresent,
    [JsonStringEnumMemberName("error")] Error,
}
