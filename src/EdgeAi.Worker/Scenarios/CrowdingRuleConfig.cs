namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Crowding (人员聚集): at least <see cref="MinPersons"/> persons in a zone, or — when the zone has an area and
/// <see cref="MaxDensity"/> is set — more than that many persons per m², for at least <see cref="MinDuration"/>.
/// Defaults: zone types plaza, street; min confidence 0.4; tentative tracks count (a head count per frame);
/// grace 10 s; cooldown 60 s; updates every 30 s; privacy blur on.
/// </summary>
public sealed record CrowdingRuleConfig : RuleConfig
{
    public CrowdingRuleConfig()
    {
        ZoneTypes = [Scenarios.ZoneTypes.Plaza, Scenarios.ZoneTypes.Street];
        ConfirmedTracksOnly = false;
    }

    public IReadOnlyList<string> PersonClasses { get; init; } = ["person"];

    /// <summary>N. Default 8.</summary>
    public int MinPersons { get; init; } = 8;

    /// <summary>T. Default 20 s.</summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>D, persons per m²; only for zones with an area. Default null (off).</summary>
    public double? MaxDensity { get; init; }
}
