namespace EdgeAi.Central.Storage;

/// <summary>Reviewed cases of one camera, rule and model with one outcome and reason.</summary>
internal sealed class ReviewCountRow
{
    public string? DeviceId { get; set; }

    public string? CameraId { get; set; }

    public string Scenario { get; set; } = "";

    public string? Rule { get; set; }

    public string? Model { get; set; }

    public ReviewOutcome Outcome { get; set; }

    /// <summary>The outcome column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string OutcomeText { get => Outcome.ToText(); set => Outcome = StoredText<ReviewOutcome>.Parse(value); }

    public string? Reason { get; set; }

    public long Count { get; set; }
}
