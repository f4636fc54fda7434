namespace EdgeAi.Models;

/// <summary>
/// MQTT topic layout, version 1. A device publishes only under its own prefix (the broker ACL enforces it):
/// <c>edgeai/v1/{deviceId}/events</c>, <c>/evidence/{evidenceId}</c>, <c>/status</c> (retained; the last will
/// sets it offline), <c>/health</c>, <c>/replies</c>; and reads <c>/commands</c>.
/// </summary>
public static class Topics
{
    public const string Root = "edgeai/v1";

    public static string Events(string deviceId) => $"{Root}/{deviceId}/events";

    public static string Evidence(string deviceId, string evidenceId) => $"{Root}/{deviceId}/evidence/{evidenceId}";

    public static string Status(string deviceId) => $"{Root}/{deviceId}/status";

    public static string Health(string deviceId) => $"{Root}/{deviceId}/health";

    public static string Commands(string deviceId) => $"{Root}/{deviceId}/commands";

    /// <summary>Where a device answers commands (<see cref="Devices.CommandReply"/>).</summary>
    public static string Replies(string deviceId) => $"{Root}/{deviceId}/replies";

    /// <summary>Splits <c>edgeai/v1/{deviceId}/{kind}[/{rest}]</c>; false for anything else.</summary>
    public static bool TryParse(string topic, out string deviceId, out string kind, out string? rest)
    {
        deviceId = kind = "";
        rest = null;
        if (!topic.StartsWith(Root + "/", StringComparison.Ordinal)) return false;
        var parts = topic[(Root.Length + 1)..].Split('/', 3);
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        deviceId = parts[0];
        kind = parts[1];
        rest = parts.Length == 3 ? parts[2] : null;
        return true;
    }
}
