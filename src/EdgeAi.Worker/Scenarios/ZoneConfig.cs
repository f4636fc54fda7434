namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// A named zone of one camera: a polygon in normalised frame coordinates (0..1, x right, y down). An object is in
/// the zone when its box's bottom-centre point is inside the polygon. The optional per-rule records replace the
/// camera-level rule for this zone (<see cref="Configuration.WorkerConfigLoader"/> makes a zone-level section inherit the camera-level values).
/// </summary>
public sealed record ZoneConfig
{
    /// <summary>Unique per camera; 1–64 characters of [A-Za-z0-9._-] (it goes on the wire).</summary>
    public string Id { get; init; } = "";

    /// <summary>road, street, greenery, water, bank or plaza (<see cref="ZoneTypes"/>).</summary>
    public string Type { get; init; } = "";

    /// <summary>Display name; optional.</summary>
    public string? Name { get; init; }

    /// <summary>Ground area in square metres; optional, enables the crowding density threshold.</summary>
    public double? AreaM2 { get; init; }

    /// <summary>At least 3 points, each [x, y] within 0..1; implicitly closed.</summary>
    public IReadOnlyList<double[]> Polygon { get; init; } = [];

    /// <summary>Litter rule for this zone only; null = the camera's.</summary>
    public LitterRuleConfig? Litter { get; init; }

    /// <summary>Road-collapse rule for this zone only; null = the camera's.</summary>
    public RoadCollapseRuleConfig? RoadCollapse { get; init; }

    /// <summary>Illegal-fishing rule for this zone only; null = the camera's.</summary>
    public IllegalFishingRuleConfig? IllegalFishing { get; init; }

    /// <summary>Crowding rule for this zone only; null = the camera's.</summary>
    public CrowdingRuleConfig? Crowding { get; init; }
}
