using System.Text.Json.Serialization;

namespace EdgeAi.Models.Devices;

/// <summary>Connection state a device announces on its status topic; on the wire "online" or "offline".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceState>))]
public enum DeviceState
{
    [JsonStringEnumMemberName("online")] Online,
    [JsonStringEnumMemberName("offline")] Offline,
}
