using EdgeAi.Worker.Tracking;
using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Illegal fishing in one zone (see <see cref="IllegalFishingRuleConfig"/>): while the ban schedule is active, a
/// person in the zone with fishing gear near them, or a boat in the zone, for the minimum duration.
/// </summary>
internal sealed class IllegalFishingRule : ZoneRule
{
    private static readonly string[] MeasuredNames = ["persons_with_gear", "boats", "ban_active"];

    private readonly IllegalFishingRuleConfig _config;
    private readonly BanSchedule _schedule;
    private readonly HashSet<string> _persons;
    private readonly HashSet<string> _gear;
    private readonly HashSet<string> _boats;

    public IllegalFishingRule(IllegalFishingRuleConfig config, Zone zone)
        : base(WireScenarios.IllegalFishing, "illegal_fishing.ban_schedule", config, zone, MeasuredNames)
    {
        _config = config;
        var errors = new List<string>();
        _schedule = BanSchedule.Parse(config.BanSchedule, "banSchedule", errors)
            ?? throw new ArgumentException(string.Join("; ", errors), nameof(config));
        _persons = ClassSet(config.PersonClasses);
        _gear = ClassSet(config.GearClasses);
        _boats = ClassSet(config.BoatClasses);
    }

    protected override TimeSpan MinDuration => _config.MinDuration;

    protected override void AddParameters(Dictionary<string, double> parameters)
    {
        parameters["min_duration_s"] = _config.MinDuration.TotalSeconds;
        parameters["gear_min_confidence"] = _config.GearMinConfidence;
        parameters["gear_proximity"] = _config.GearProximity;
    }

    protected override void Evaluate(ScenarioFrame frame, out bool qualifies, out bool sustains)
    {
        qualifies = sustains = false;
        if (!_schedule.IsActive(frame.Time)) return;
        Measured[2] = 1;
        var objects = frame.Objects;
        int withGear = 0, boats = 0;
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (!frame.InZone(i, Zone.Index)) continue;
            if (Eligible(o, _boats, _config.MinConfidence))
            {
                boats++;
                Involved.Add(o);
            }
            else if (Eligible(o, _persons, _config.MinConfidence) && GearNear(objects, o) is { } gear)
            {
                withGear++;
                Involved.Add(o);
                Involved.Add(objects[gear]);
            }
        }
        qualifies = sustains = withGear + boats > 0;
        Measured[0] = withGear;
        Measured[1] = boats;
    }

    /// <summary>Index of the most confident gear object overlapping the person's grown box, or null.</summary>
    private int? GearNear(IReadOnlyList<TrackedObject> objects, in TrackedObject person)
    {
        var grow = (float)_config.GearProximity * person.Box.Height;
        float x1 = person.Box.X1 - grow, y1 = person.Box.Y1 - grow, x2 = person.Box.X2 + grow, y2 = person.Box.Y2 + grow;
        int? best = null;
        for (var j = 0; j < objects.Count; j++)
        {
            var g = objects[j];
            if (!Eligible(g, _gear, _config.GearMinConfidence)) continue;
            if (g.Box.X2 < x1 || g.Box.X1 > x2 || g.Box.Y2 < y1 || g.Box.Y1 > y2) continue;
            if (best is null || g.Confidence > objects[best.Value].Confidence) best = j;
        }
        return best;
    }
}
