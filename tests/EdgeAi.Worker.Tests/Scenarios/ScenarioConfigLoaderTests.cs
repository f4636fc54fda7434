using System.Text;
using EdgeAi.Worker.Scenarios;
using Microsoft.Extensions.Configuration;

namespace EdgeAi.Worker.Tests.Scenarios;

public sealed class ScenarioConfigLoaderTests
{
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private const string Camera = """
    {
      "cameras": [ { "id": "cam-1", "scenarios": {
        "zones": [
          { "id": "plaza", "type": "plaza", "name": "North plaza", "areaM2": 420,
            "polygon": [[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]],
            "crowding": { "minPersons": 5 } },
          { "id": "bank", "type": "bank", "polygon": [[0, 0.3], [1, 0.3], [1, 0.6]],
            "illegalFishing": { "banSchedule": { "dailyHours": ["05:00-09:00", "17:00-21:00"] } } }
        ],
        "crowding": { "minDuration": "00:00:30", "personClasses": ["pedestrian"], "zoneTypes": ["plaza"] },
        "illegalFishing": { "minDuration": "00:01:00", "banSchedule": { "dateRanges": ["04-01..07-31"], "timeZone": "Asia/Shanghai" } },
        "litter": { "enabled": false }
      } } ]
    }
    """;

    [Fact]
    public void Load_JsonCamera_ListsReplaceDefaultsAndZoneRulesInherit()
    {
        var config = ScenarioConfigLoader.Load(Json(Camera).GetSection("cameras:0:scenarios"));

        Assert.Empty(ScenarioConfigValidator.Validate(config, "cameras[0].scenarios"));
        Assert.Equal(2, config.Zones.Count);
        var plaza = config.Zones[0];
        Assert.Equal(("plaza", "plaza", "North plaza", 420.0), (plaza.Id, plaza.Type, plaza.Name!, plaza.AreaM2!.Value));
        Assert.Equal([0.9, 1.0], plaza.Polygon[2]);
        Assert.Equal(4, plaza.Polygon.Count);

        // Camera level: lists replaced, not appended to the defaults.
        Assert.Equal(["pedestrian"], config.Crowding.PersonClasses);
        Assert.Equal(["plaza"], config.Crowding.ZoneTypes);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Crowding.MinDuration);
        Assert.Equal(8, config.Crowding.MinPersons);
        Assert.False(config.Litter.Enabled);
        Assert.Equal(["04-01..07-31"], config.IllegalFishing.BanSchedule.DateRanges);
        Assert.Empty(config.IllegalFishing.BanSchedule.DailyHours);

        // Zone level: only the keys given differ from the camera's rule.
        var zoneCrowding = plaza.Crowding!;
        Assert.Equal(5, zoneCrowding.MinPersons);
        Assert.Equal(TimeSpan.FromSeconds(30), zoneCrowding.MinDuration);
        Assert.Equal(["pedestrian"], zoneCrowding.PersonClasses);
        var zoneFishing = config.Zones[1].IllegalFishing!;
        Assert.Equal(["05:00-09:00", "17:00-21:00"], zoneFishing.BanSchedule.DailyHours);
        Assert.Equal(["04-01..07-31"], zoneFishing.BanSchedule.DateRanges);
        Assert.Equal(TimeSpan.FromMinutes(1), zoneFishing.MinDuration);
        Assert.Empty(config.IllegalFishing.BanSchedule.DailyHours);   // the camera's schedule was not modified
        Assert.Null(config.Zones[1].Crowding);

        var engine = new ScenarioEngine("cam-1", config);
        Assert.Equal(["crowding@plaza", "illegal_fishing@bank"], engine.Rules.Select(r => $"{r.Scenario}@{r.Zone.Id}"));
    }

    [Fact]
    public void Load_EmptySection_GivesDefaults()
    {
        var config = ScenarioConfigLoader.Load(Json("{}").GetSection("scenarios"));

        Assert.Empty(config.Zones);
        Assert.Equal(new CrowdingRuleConfig().PersonClasses, config.Crowding.PersonClasses);
        Assert.Equal(["03-01..06-30"], config.IllegalFishing.BanSchedule.DateRanges);
    }

    [Fact]
    public void Load_BareNumberDuration_RejectedByValidation()
    {
        var config = ScenarioConfigLoader.Load(Json("""{ "s": { "crowding": { "minDuration": "20" } } }""").GetSection("s"));

        var error = Assert.Single(ScenarioConfigValidator.Validate(config, "cameras[0]"));
        Assert.StartsWith("cameras[0].crowding.minDuration: 20.00:00:00 is longer than 1 day(s); write durations as hh:mm:ss", error);
    }

    [Fact]
    public void Load_UnconvertibleValue_ThrowsNamingTheKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            ScenarioConfigLoader.Load(Json("""{ "s": { "crowding": { "minPersons": "many" } } }""").GetSection("s")));
        Assert.True(ex.Message.Contains("s:crowding:minPersons", StringComparison.OrdinalIgnoreCase), ex.Message);
    }
}
