namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Scenario analytics of one camera: its zones and the four rules. Every rule is on by default and applies to the
/// zones of its types, so a camera with only a plaza zone runs only crowding. Check with
/// <see cref="ScenarioConfigValidator.Validate"/> before building a <see cref="ScenarioEngine"/>.
/// </summary>
public sealed record ScenarioConfig
{
    /// <summary>At most 64 zones.</summary>
    public IReadOnlyList<ZoneConfig> Zones { get; init; } = [];

    public LitterRuleConfig Litter { get; init; } = new();

    public RoadCollapseRuleConfig RoadCollapse { get; init; } = new();

    public IllegalFishingRuleConfig IllegalFishing { get; init; } = new();

    public CrowdingRuleConfig Crowding { get; init; } = new();
}
