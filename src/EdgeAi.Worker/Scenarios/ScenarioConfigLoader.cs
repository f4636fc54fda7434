using Microsoft.Extensions.Configuration;

namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Reads a camera's scenario section (<c>zones</c>, <c>litter</c>, <c>roadCollapse</c>, <c>illegalFishing</c>,
/// <c>crowding</c>) from configuration. Differences from a plain <c>Get&lt;ScenarioConfig&gt;()</c>:
/// <list type="bullet">
/// <item>a list in config replaces the default list instead of being appended to it (the binder appends);</item>
/// <item>a rule section inside a zone starts from the camera's rule, so it only needs the keys that differ.</item>
/// </list>
/// Durations are TimeSpan strings ("00:00:20"); a bare "20" would mean 20 days, which validation rejects.
/// A value that cannot be converted throws <see cref="InvalidOperationException"/> naming its key.
/// Validate the result with <see cref="ScenarioConfigValidator"/>.
/// </summary>
public static class ScenarioConfigLoader
{
    public static ScenarioConfig Load(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var litter = Litter(section.GetSection("litter"), new LitterRuleConfig());
        var road = RoadCollapse(section.GetSection("roadCollapse"), new RoadCollapseRuleConfig());
        var fishing = IllegalFishing(section.GetSection("illegalFishing"), new IllegalFishingRuleConfig());
        var crowding = Crowding(section.GetSection("crowding"), new CrowdingRuleConfig());

        var zones = new List<ZoneConfig>();
        foreach (var z in section.GetSection("zones").GetChildren())
        {
            var zone = new ZoneConfig();
            z.Bind(zone);
            zones.Add(zone with
            {
                Polygon = Points(z.GetSection("polygon")),
                Litter = z.GetSection("litter").Exists() ? Litter(z.GetSection("litter"), litter) : null,
                RoadCollapse = z.GetSection("roadCollapse").Exists() ? RoadCollapse(z.GetSection("roadCollapse"), road) : null,
                IllegalFishing = z.GetSection("illegalFishing").Exists() ? IllegalFishing(z.GetSection("illegalFishing"), fishing) : null,
                Crowding = z.GetSection("crowding").Exists() ? Crowding(z.GetSection("crowding"), crowding) : null,
            });
        }
        return new ScenarioConfig { Zones = zones, Litter = litter, RoadCollapse = road, IllegalFishing = fishing, Crowding = crowding };
    }

    private static LitterRuleConfig Litter(IConfigurationSection s, LitterRuleConfig inherited)
    {
        var r = Bind(s, inherited with { });
        return Lists(s, r, inherited) with
        {
            Classes = Strings(s, "classes", inherited.Classes),
            PersonClasses = Strings(s, "personClasses", inherited.PersonClasses),
        };
    }

    private static RoadCollapseRuleConfig RoadCollapse(IConfigurationSection s, RoadCollapseRuleConfig inherited)
    {
        var r = Bind(s, inherited with { });
        return Lists(s, r, inherited) with { Classes = Strings(s, "classes", inherited.Classes) };
    }

    private static IllegalFishingRuleConfig IllegalFishing(IConfigurationSection s, IllegalFishingRuleConfig inherited)
    {
        // Clone the nested schedule too: the binder binds into the existing instance, which belongs to `inherited`.
        var r = Bind(s, inherited with { BanSchedule = inherited.BanSchedule with { } });
        var ban = s.GetSection("banSchedule");
        return Lists(s, r, inherited) with
        {
            PersonClasses = Strings(s, "personClasses", inherited.PersonClasses),
            GearClasses = Strings(s, "gearClasses", inherited.GearClasses),
            BoatClasses = Strings(s, "boatClasses", inherited.BoatClasses),
            BanSchedule = r.BanSchedule with
            {
                DateRanges = Strings(ban, "dateRanges", inherited.BanSchedule.DateRanges),
                DailyHours = Strings(ban, "dailyHours", inherited.BanSchedule.DailyHours),
            },
        };
    }

    private static CrowdingRuleConfig Crowding(IConfigurationSection s, CrowdingRuleConfig inherited)
    {
        var r = Bind(s, inherited with { });
        return Lists(s, r, inherited) with { PersonClasses = Strings(s, "personClasses", inherited.PersonClasses) };
    }

    private static T Bind<T>(IConfigurationSection s, T target) where T : class
    {
        if (s.Exists()) s.Bind(target);
        return target;
    }

    private static T Lists<T>(IConfigurationSection s, T bound, T inherited) where T : RuleConfig => bound with
    {
        ZoneTypes = Strings(s, "zoneTypes", inherited.ZoneTypes),
        Zones = Strings(s, "zones", inherited.Zones),
    };

    /// <summary>The list under <paramref name="key"/> when config has one, else <paramref name="current"/>.</summary>
    private static IReadOnlyList<string> Strings(IConfigurationSection parent, string key, IReadOnlyList<string> current)
    {
        var s = parent.GetSection(key);
        if (!s.Exists()) return current;
        // An empty JSON array leaves the key with an empty value and no children.
        return s.GetChildren().Select(c => c.Value ?? "").ToArray();
    }

    private static IReadOnlyList<double[]> Points(IConfigurationSection polygon) =>
        polygon.GetChildren().Select(p => p.GetChildren().Select(c => c.Get<double>()).ToArray()).ToArray();
}
