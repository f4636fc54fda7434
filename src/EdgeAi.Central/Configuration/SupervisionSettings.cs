namespace EdgeAi.Central.Configuration;

/// <summary>
/// Deadlines and supervision (key <c>supervision</c>, 办结时限 / 督办): each scenario's time to close from filing;
/// a case past its deadline, or reopened by the closure check <see cref="ReopenEscalateAfter"/> times, is escalated
/// once (timeline, a notification to the platform, the dashboard and a counter).
/// </summary>
internal sealed record SupervisionSettings
{
    /// <summary>Deadline per scenario. Defaults: litter 2 h, road collapse 30 min, illegal fishing 1 h, crowding 30 min.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Deadlines { get; init; } = DefaultDeadlines;

    /// <summary>Deadline of a scenario not listed. Default 24 h.</summary>
    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromHours(24);

    /// <summary>A case reopened this many times is escalated. Default 2.</summary>
    public int ReopenEscalateAfter { get; init; } = 2;

    /// <summary>How often deadlines are checked. Default 5 s.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    public static IReadOnlyDictionary<string, TimeSpan> DefaultDeadlines { get; } = new Dictionary<string, TimeSpan>
    {
        [EdgeAi.Models.Events.Scenarios.Litter] = TimeSpan.FromHours(2),
        [EdgeAi.Models.Events.Scenarios.RoadCollapse] = TimeSpan.FromMinutes(30),
        [EdgeAi.Models.Events.Scenarios.IllegalFishing] = TimeSpan.FromHours(1),
        [EdgeAi.Models.Events.Scenarios.Crowding] = TimeSpan.FromMinutes(30),
        ["device_fault"] = TimeSpan.FromHours(4),
    };

    public TimeSpan DeadlineFor(string scenario) => Deadlines.TryGetValue(scenario, out var d) ? d : DefaultDeadline;
}
