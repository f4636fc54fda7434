namespace EdgeAi.Models.Devices;

/// <summary>
/// Retained payload of <c>edgeai/v1/{device}/status</c>: "online" when the worker connects; "offline" from its last
/// will (connection lost: no <see cref="Time"/>, since the will is registered at connect) or on a clean shutdown.
/// </summary>
/// <param name="State">online or offline.</param>
/// <param name="DeviceId">The gateway id (also the topic segment).</param>
/// <param name="Time">When the state was published (UTC); null in the last will.</param>
/// <param name="Version">Worker version, when online.</param>
/// <param name="Reason">Why offline: "connection lost" (will) or "shutdown".</param>
public sealed record DeviceStatus(DeviceState State, string DeviceId, DateTimeOffset? Time = null, string? Version = null, string? Reason = null);
