namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Road collapse (路面塌陷): a pothole/collapse region is seen in a road zone in at least <see cref="MinFrames"/>
/// analysed frames (gaps up to the grace period allowed). Defaults: zone type road; min confidence 0.4;
/// tentative tracks count; grace 10 s; cooldown 120 s; updates every 60 s.
/// </summary>
public sealed record RoadCollapseRuleConfig : RuleConfig
{
    public RoadCollapseRuleConfig()
    {
        ZoneTypes = [Scenarios.ZoneTypes.Road];
        ConfirmedTracksOnly = false;
        Cooldown = TimeSpan.FromSeconds(120);
        UpdateInterval = TimeSpan.FromSeconds(60);
    }

    /// <summary>Labels that count. Default pothole, collapse.</summary>
    public IReadOnlyList<string> Classes { get; init; } = ["pothole", "collapse"];

    /// <summary>K: analysed frames with the region present before the episode starts. Default 5.</summary>
    public int MinFrames { get; init; } = 5;
}
