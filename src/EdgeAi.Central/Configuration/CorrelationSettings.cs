using EdgeAi.Models.Events;

namespace EdgeAi.Central.Configuration;

/// <summary>Per-scenario correlation parameters (key <c>correlation.scenarios</c>); unknown scenarios use <see cref="Default"/>.</summary>
internal sealed record CorrelationSettings
{
    public static ScenarioCorrelation Default { get; } = new(TimeSpan.FromMinutes(10), 0.3, 50, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30));

    /// <summary>Defaults: litter and road collapse are static (small radius, long windows); fishing and crowding move (larger radius).</summary>
    public static IReadOnlyDictionary<string, ScenarioCorrelation> Defaults { get; } = new Dictionary<string, ScenarioCorrelation>
    {
        [EdgeAi.Models.Events.Scenarios.Litter] = new(TimeSpan.FromMinutes(30), 0.3, 30, TimeSpan.FromHours(1), TimeSpan.FromHours(2)),
        [EdgeAi.Models.Events.Scenarios.RoadCollapse] = new(TimeSpan.FromHours(2), 0.3, 30, TimeSpan.FromHours(6), TimeSpan.FromHours(6)),
        [EdgeAi.Models.Events.Scenarios.IllegalFishing] = new(TimeSpan.FromMinutes(30), 0.2, 200, TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)),
        [EdgeAi.Models.Events.Scenarios.Crowding] = new(TimeSpan.FromMinutes(10), 0.2, 100, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)),
    };

    public IReadOnlyDictionary<string, ScenarioCorrelation> Scenarios { get; init; } = Defaults;

    public ScenarioCorrelation For(string scenario) => Scenarios.TryGetValue(scenario, out var s) ? s : Default;
}
