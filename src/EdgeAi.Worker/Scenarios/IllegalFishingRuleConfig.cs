namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Illegal fishing (非法捕捞/垂钓): a person with fishing gear (a gear box overlapping the person's box grown by
/// <see cref="GearProximity"/>), or a boat, is in a water or bank zone while <see cref="BanSchedule"/> is active,
/// for at least <see cref="MinDuration"/> (ban time only). Defaults: zone types water, bank; min confidence 0.4
/// (gear 0.25); tentative tracks count (a walker or a moving boat may not keep one track between key frames);
/// grace 15 s; cooldown 60 s; updates every 60 s.
/// </summary>
public sealed record IllegalFishingRuleConfig : RuleConfig
{
    public IllegalFishingRuleConfig()
    {
        ZoneTypes = [Scenarios.ZoneTypes.Water, Scenarios.ZoneTypes.Bank];
        ConfirmedTracksOnly = false;
        GracePeriod = TimeSpan.FromSeconds(15);
        UpdateInterval = TimeSpan.FromSeconds(60);
    }

    public IReadOnlyList<string> PersonClasses { get; init; } = ["person"];

    /// <summary>Default fishing_rod.</summary>
    public IReadOnlyList<string> GearClasses { get; init; } = ["fishing_rod"];

    /// <summary>Default boat. Empty = boats alone never fire.</summary>
    public IReadOnlyList<string> BoatClasses { get; init; } = ["boat"];

    /// <summary>Gear detections are thin and weak; they count from this confidence. Default 0.25.</summary>
    public double GearMinConfidence { get; init; } = 0.25;

    /// <summary>The person box is grown by this fraction of its height on every side before the gear overlap test. Default 0.25.</summary>
    public double GearProximity { get; init; } = 0.25;

    /// <summary>N: how long (during the ban) before the episode starts. Default 20 s.</summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromSeconds(20);

    public BanScheduleConfig BanSchedule { get; init; } = new();
}
