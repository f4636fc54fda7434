using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Scenarios;

/// <summary>Crowding in one zone (see <see cref="CrowdingRuleConfig"/>): a head count, or a density when the zone has an area.</summary>
internal sealed class CrowdingRule : ZoneRule
{
    private static readonly string[] CountNames = ["persons"];
    private static readonly string[] DensityNames = ["persons", "density_per_m2"];

    private readonly CrowdingRuleConfig _config;
    private readonly HashSet<string> _persons;

    public CrowdingRule(CrowdingRuleConfig config, Zone zone)
        : base(WireScenarios.Crowding, config.MaxDensity is not null && zone.AreaM2 is not null ? "crowding.density" : "crowding.min_persons",
            config, zone, zone.AreaM2 is not null ? DensityNames : CountNames)
    {
        _config = config;
        _persons = ClassSet(config.PersonClasses);
    }

    protected override TimeSpan MinDuration => _config.MinDuration;

    protected override void AddParameters(Dictionary<string, double> parameters)
    {
        parameters["min_persons"] = _config.MinPersons;
        parameters["min_duration_s"] = _config.MinDuration.TotalSeconds;
        if (_config.MaxDensity is { } d && Zone.AreaM2 is not null) parameters["max_density_per_m2"] = d;
        if (Zone.AreaM2 is { } area) parameters["zone_area_m2"] = area;
    }

    protected override void Evaluate(ScenarioFrame frame, out bool qualifies, out bool sustains)
    {
        var objects = frame.Objects;
        var persons = 0;
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (!Eligible(o, _persons, _config.MinConfidence) || !frame.InZone(i, Zone.Index)) continue;
            persons++;
            Involved.Add(o);
        }
        qualifies = persons >= _config.MinPersons;
        Measured[0] = persons;
        if (Zone.AreaM2 is { } area)
        {
            var density = persons / area;
            Measured[1] = Math.Round(density, 4);
            if (_config.MaxDensity is { } max && density > max) qualifies = true;
        }
        sustains = qualifies;
    }
}
