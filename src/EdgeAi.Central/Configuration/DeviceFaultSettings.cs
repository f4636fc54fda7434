namespace EdgeAi.Central.Configuration;

/// <summary>
/// Camera faults as work (key <c>device_faults</c>): a camera unhealthy (gateway offline or silent, stream down, no
/// frames) or with a video quality flag (black, frozen, occluded, scene changed) for longer than <see cref="After"/>
/// raises an alert (<c>edgeai_central_camera_fault</c> = 1, see config/prometheus/edgeai-alerts.yml) and, when
/// <see cref="FileCases"/> is on, a device-fault case (设备故障) to <see cref="Department"/>, closed when it recovers.
/// </summary>
internal sealed record DeviceFaultSettings
{
    /// <summary>How long a fault lasts before it counts. Default 5 min.</summary>
    public TimeSpan After { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>File a 设备故障 case for each fault. Default false (alert only).</summary>
    public bool FileCases { get; init; }

    public string Department { get; init; } = "设备运维";

    /// <summary>Category of device-fault cases.</summary>
    public PlatformCategory Category { get; init; } = new("设备设施", "设备故障", "0901");

    /// <summary>How often camera health is checked. Default 10 s.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(10);
}
