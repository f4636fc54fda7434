namespace EdgeAi.Central.Storage;

/// <summary>An edge gateway's latest status and health (JSON as published).</summary>
internal sealed class DeviceRow
{
    public string DeviceId { get; set; } = "";

    public long? Online { get; set; }

    public string? Status { get; set; }

    public long? StatusAt { get; set; }

    public string? Health { get; set; }

    public long? HealthAt { get; set; }

    public long? LastEventAt { get; set; }

    public long? LastSequence { get; set; }
}
