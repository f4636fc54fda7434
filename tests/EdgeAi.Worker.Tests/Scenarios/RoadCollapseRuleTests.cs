using EdgeAi.Models.Events;
using EdgeAi.Worker.Scenarios;
using static EdgeAi.Worker.Tests.Scenarios.ScenarioKit;
using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Tests.Scenarios;

public sealed class RoadCollapseRuleTests
{
    private static ScenarioEngine RoadEngine(RoadCollapseRuleConfig? rule = null) => Engine(new ScenarioConfig
    {
        Zones = [Band("road", ZoneTypes.Road, 0.3, 1.0), Band("verge", ZoneTypes.Greenery, 0.0, 0.3)],
        RoadCollapse = rule ?? new RoadCollapseRuleConfig(),
    });

    private static List<EpisodeEvent> Road(List<EpisodeEvent> events) => events.Where(e => e.Scenario == WireScenarios.RoadCollapse).ToList();

    [Fact]
    public void Process_PotholeInKFramesExactly_StartsOnKthFrame_TentativeTracksCount()
    {
        var engine = RoadEngine();

        var first4 = Run(engine, 0, 3, _ => [Obj(3, "pothole", 0.5f, 0.7f, 0.1f, 0.05f, confirmed: false)]);
        var fifth = Road(Run(engine, 4, 4, _ => [Obj(3, "pothole", 0.5f, 0.7f, 0.1f, 0.05f)]));

        Assert.Empty(first4);
        var started = Assert.Single(fifth);
        Assert.Equal(EventType.Started, started.Type);
        Assert.Equal(5, started.Rule.Measured["frames"]);
        Assert.Equal(5, started.Rule.Parameters["min_frames"]);
        Assert.Equal("road_collapse.persistent", started.Rule.Name);
    }

    [Fact]
    public void Process_MissedFramesWithinGrace_CountContinues()
    {
        var engine = RoadEngine();

        // Seen at 0, 1, 3, 4 (missed at 2), so the 5th sighting is at 5.
        var events = Road(Run(engine, 0, 10, s => s is 2 or > 5 ? [] : [Obj(3, "pothole", 0.5f, 0.7f, 0.1f, 0.05f)]));

        Assert.Equal(5, Seconds(events[0]));
    }

    [Fact]
    public void Process_GapLongerThanGrace_RestartsCount()
    {
        var engine = RoadEngine();

        // Seen 0..3 (4 frames), gone 4..15 (> 10 s grace), seen again from 16: 5th frame at 20.
        var events = Road(Run(engine, 0, 25, s => s is >= 4 and < 16 ? [] : [Obj(3, "pothole", 0.5f, 0.7f, 0.1f, 0.05f)]));

        Assert.Equal(20, Seconds(Assert.Single(events)));
    }

    [Fact]
    public void Process_PotholeOutsideRoadZone_DoesNotFire()
    {
        Assert.Empty(Road(Run(RoadEngine(), 0, 20, _ => [Obj(3, "pothole", 0.5f, 0.2f, 0.1f, 0.05f)])));
    }

    [Fact]
    public void Process_ManholeOrLowConfidence_DoesNotFire()
    {
        Assert.Empty(Road(Run(RoadEngine(), 0, 20, _ => [Obj(3, "manhole", 0.5f, 0.7f)])));
        Assert.Empty(Road(Run(RoadEngine(), 0, 20, _ => [Obj(3, "pothole", 0.5f, 0.7f, conf: 0.3f)])));
    }

    [Fact]
    public void Process_RepairedRoad_EndsAfterGraceThenCooldown()
    {
        var engine = RoadEngine(new RoadCollapseRuleConfig { Cooldown = TimeSpan.FromSeconds(30) });

        // Present 0..19, gone 20..39, back from 40.
        var events = Road(Run(engine, 0, 80, s => s is >= 20 and < 40 ? [] : [Obj(3, "pothole", 0.5f, 0.7f, 0.1f, 0.05f)]));

        Assert.Equal([EventType.Started, EventType.Ended, EventType.Started], events.Select(e => e.Type));
        Assert.Equal(4, Seconds(events[0]));
        Assert.Equal(30, Seconds(events[1]));      // last seen 19, grace 10 s exceeded at 30
        Assert.Equal(60, Seconds(events[2]));      // back from 40 (5th frame at 44) but cooldown until 60
    }
}
