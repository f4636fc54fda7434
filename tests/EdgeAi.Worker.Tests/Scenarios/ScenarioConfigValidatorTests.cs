using EdgeAi.Worker.Scenarios;

namespace EdgeAi.Worker.Tests.Scenarios;

public sealed class ScenarioConfigValidatorTests
{
    private static ZoneConfig Square(string id, string type = ZoneTypes.Plaza) => new() { Id = id, Type = type, Polygon = [[0, 0], [1, 0], [1, 1], [0, 1]] };

    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(ScenarioConfigValidator.Validate(new ScenarioConfig()));
        Assert.Empty(ScenarioConfigValidator.Validate(new ScenarioConfig { Zones = [Square("a"), Square("b", ZoneTypes.Bank), Square("c", ZoneTypes.Road)] }));
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneWithKeyPath()
    {
        var config = new ScenarioConfig
        {
            Zones =
            [
                new ZoneConfig { Id = "a", Type = ZoneTypes.Street, Polygon = [[0, 0], [1, 1]] },
                new ZoneConfig { Id = "b", Type = "river", Polygon = [[0, 0], [1.5, 0], [1, -0.1]] },
                new ZoneConfig { Id = "a", Type = ZoneTypes.Plaza, AreaM2 = -3, Polygon = [[0, 0], [1, 0], [1, 1]],
                    Crowding = new CrowdingRuleConfig { MinPersons = 0, Zones = ["a"] } },
                new ZoneConfig { Id = "bad id!", Type = ZoneTypes.Plaza, Polygon = [[0, 0], [0.5, 0.5], [1, 1]] },
                new ZoneConfig { Id = "e", Type = ZoneTypes.Plaza, Polygon = [[0, 0], [1, 0, 3], [1, 1]] },
            ],
            IllegalFishing = new IllegalFishingRuleConfig
            {
                BanSchedule = new BanScheduleConfig { DateRanges = ["3-1..6-30"], DailyHours = ["06:00-22:00", "25:00-26:00"], TimeZone = "Nowhere/City" },
            },
            Crowding = new CrowdingRuleConfig { MinConfidence = 1.2, Zones = ["zz"], MaxDensity = 0 },
            Litter = new LitterRuleConfig { Classes = [], ZoneTypes = ["sidewalk"], UpdateInterval = TimeSpan.Zero },
            RoadCollapse = new RoadCollapseRuleConfig { MinFrames = 0, GracePeriod = TimeSpan.FromSeconds(-1) },
        };

        var errors = ScenarioConfigValidator.Validate(config, "cameras[2]");

        string[] expectedPrefixes =
        [
            "cameras[2].zones[0].polygon: needs at least 3 points",
            "cameras[2].zones[1].type: unknown zone type 'river'",
            "cameras[2].zones[1].polygon[1][0]: x = 1.5 is outside 0..1",
            "cameras[2].zones[1].polygon[2][1]: y = -0.1 is outside 0..1",
            "cameras[2].zones[2].areaM2:",
            "cameras[2].zones[2].id: duplicate zone id 'a'",
            "cameras[2].zones[2].crowding.minPersons:",
            "cameras[2].zones[2].crowding.zones: not allowed inside a zone",
            "cameras[2].zones[3].id:",
            "cameras[2].zones[3].polygon: has zero area",
            "cameras[2].zones[4].polygon[1]: must be [x, y]",
            "cameras[2].illegalFishing.banSchedule.timeZone: unknown time zone 'Nowhere/City'",
            "cameras[2].illegalFishing.banSchedule.dateRanges[0]:",
            "cameras[2].illegalFishing.banSchedule.dailyHours[1]:",
            "cameras[2].crowding.minConfidence:",
            "cameras[2].crowding.zones[0]: no zone with id 'zz'",
            "cameras[2].crowding.maxDensity:",
            "cameras[2].litter.classes: needs at least one class label",
            "cameras[2].litter.zoneTypes[0]: unknown zone type 'sidewalk'",
            "cameras[2].litter.updateInterval:",
            "cameras[2].roadCollapse.minFrames:",
            "cameras[2].roadCollapse.gracePeriod:",
        ];
        foreach (var prefix in expectedPrefixes)
            Assert.Contains(errors, e => e.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Equal(expectedPrefixes.Length, errors.Count);
    }

    [Fact]
    public void Validate_TooManyZones_Reported()
    {
        var zones = Enumerable.Range(0, 65).Select(i => Square("z" + i)).ToArray();
        Assert.Contains(ScenarioConfigValidator.Validate(new ScenarioConfig { Zones = zones }), e => e.StartsWith("zones: at most 64", StringComparison.Ordinal));
    }

    [Fact]
    public void Engine_InvalidConfig_ThrowsWithAllErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ScenarioEngine("cam-1", new ScenarioConfig
        {
            Zones = [new ZoneConfig { Id = "a", Type = "lake", Polygon = [] }],
        }));
        Assert.Contains("zones[0].type", ex.Message);
        Assert.Contains("zones[0].polygon", ex.Message);
    }
}
