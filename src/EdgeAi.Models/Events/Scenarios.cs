namespace EdgeAi.Models.Events;

/// <summary>The four scenario names used on the wire.</summary>
public static class Scenarios
{
    public const string Litter = "litter";
    public const string RoadCollapse = "road_collapse";
    public const string IllegalFishing = "illegal_fishing";
    public const string Crowding = "crowding";

    public static IReadOnlyList<string> All { get; } = [Litter, RoadCollapse, IllegalFishing, Crowding];

    /// <summary>True for one of <see cref="All"/> (ordinal, case-sensitive).</summary>
    public static bool IsKnown(string? scenario) => scenario is Litter or RoadCollapse or IllegalFishing or Crowding;
}
