using System.Text.Json.Serialization;

namespace EdgeAi.Models.Events;

/// <summary>Lifecycle step of an episode; on the wire "started", "updated" or "ended".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventType>))]
public enum EventType
{
    [JsonStringEnumMemberName("started")] Started,
    [JsonStringEnumMemberName("updated")] Updated,
    [JsonStringEnumMemberName("ended")] Ended,
}
