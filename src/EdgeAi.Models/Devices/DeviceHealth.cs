namespace EdgeAi.Models.Devices;

/// <summary>Payload of <c>edgeai/v1/{device}/health</c>, published every few seconds.</summary>
/// <param name="DeviceId">The gateway id.</param>
/// <param name="Time">When the snapshot was taken (UTC).</param>
/// <param name="UptimeS">Seconds since the worker started.</param>
/// <param name="Cameras">One entry per configured camera.</param>
/// <param name="Outbox">Delivery backlog; filled in by the health publisher when the provider leaves it null.</param>
/// <param name="Version">Worker version.</param>
public sealed record DeviceHealth(
    string DeviceId,
    DateTimeOffset Time,
    double UptimeS,
    IReadOnlyList<CameraHealth> Cameras,
    OutboxHealth? Outbox = null,
    string? Version = null);
