namespace EdgeAi.Central.Configuration;

/// <summary>
/// The cockpit's indicator thresholds (key <c>cockpit.thresholds</c>): each indicator is normal below <c>yellow</c>,
/// yellow from it, red from <c>red</c>.
/// </summary>
internal sealed record CockpitSettings
{
    public IReadOnlyDictionary<string, Threshold> Thresholds { get; init; } = Defaults;

    public static IReadOnlyDictionary<string, Threshold> Defaults { get; } = new Dictionary<string, Threshold>
    {
        ["open_incidents"] = new(20, 50),
        ["overdue_cases"] = new(1, 5),
        ["unhealthy_cameras"] = new(1, 3),
        ["false_positive_rate"] = new(0.3, 0.5),
    };

    public string Level(string indicator, double value) =>
        !Thresholds.TryGetValue(indicator, out var t) ? "normal" : value >= t.Red ? "red" : value >= t.Yellow ? "yellow" : "normal";
}

/// <summary>Where an indicator turns yellow and red.</summary>
internal sealed record Threshold(double Yellow, double Red);
