namespace EdgeAi.Central.Storage;

/// <summary>Reviewed cases of one camera, rule and model with one outcome and reason.</summary>
internal sealed class ReviewCountRow
{
    public string? DeviceId { get; set; }

    public string? CameraId { get; set; }

    public string Scenario { get; set; } = "";

    public string? Rule { get; set; }

    public string? Model { get; set; }

    public string Outcome { get; set; } = "";

    public string? Reason { get; set; }

    public long Count { get; set; }
}
