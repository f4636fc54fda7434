namespace EdgeAi.Central.Storage;

/// <summary>A camera as last described by its events.</summary>
internal sealed class CameraRow
{
    public string DeviceId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string Name { get; set; } = "";

    public double Lat { get; set; }

    public double Lon { get; set; }

    public long LastEventAt { get; set; }
}
