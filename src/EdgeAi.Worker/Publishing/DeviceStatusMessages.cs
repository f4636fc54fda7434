using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;

namespace EdgeAi.Worker.Publishing;

/// <summary>The retained payloads of <c>edgeai/v1/{device}/status</c>.</summary>
internal static class DeviceStatusMessages
{
    /// <summary>The last will: retained, QoS 1, "offline" because the connection was lost (no time: it is registered at connect).</summary>
    public static MqttWill Will(string deviceId, string version) =>
        new(Topics.Status(deviceId), Serialize(new DeviceStatus(DeviceState.Offline, deviceId, null, version, "connection lost")), Retain: true, Qos: 1);

    public static byte[] Online(string deviceId, string version, DateTimeOffset now) =>
        Serialize(new DeviceStatus(DeviceState.Online, deviceId, now, version));

    public static byte[] Shutdown(string deviceId, string version, DateTimeOffset now) =>
        Serialize(new DeviceStatus(DeviceState.Offline, deviceId, now, version, "shutdown"));

    private static byte[] Serialize(DeviceStatus status) => JsonSerializer.SerializeToUtf8Bytes(status, EdgeAiJsonContext.Default.DeviceStatus);
}
