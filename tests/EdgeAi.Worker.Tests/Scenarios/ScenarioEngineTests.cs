using EdgeAi.Models.Events;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;
using static EdgeAi.Worker.Tests.Scenarios.ScenarioKit;
using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Tests.Scenarios;

public sealed class ScenarioEngineTests
{
    private static TrackedObject[] Crowd(int n, float bottom = 0.8f) => Enumerable.Range(1, n).Select(i => Person(i, 0.05f + 0.045f * i, bottom)).ToArray();

    [Fact]
    public void Constructor_DefaultRules_ApplyByZoneType()
    {
        var engine = Engine(
            Band("road", ZoneTypes.Road, 0.0, 0.2), Band("walk", ZoneTypes.Street, 0.2, 0.4), Band("green", ZoneTypes.Greenery, 0.4, 0.5),
            Band("river", ZoneTypes.Water, 0.5, 0.7), Band("bank", ZoneTypes.Bank, 0.7, 0.8), Band("square", ZoneTypes.Plaza, 0.8, 1.0));

        var pairs = engine.Rules.Select(r => $"{r.Scenario}@{r.Zone.Id}").ToArray();

        Assert.Equal(
        [
            "road_collapse@road", "litter@walk", "crowding@walk", "litter@green",
            "illegal_fishing@river", "illegal_fishing@bank", "crowding@square",
        ], pairs);
    }

    [Fact]
    public void Constructor_ZoneOverrideAndZoneList_Respected()
    {
        var config = new ScenarioConfig
        {
            Zones =
            [
                Band("gate", ZoneTypes.Street, 0.0, 0.5) with { Crowding = new CrowdingRuleConfig { MinPersons = 3 }, Litter = new LitterRuleConfig { Enabled = false } },
                Band("square", ZoneTypes.Plaza, 0.5, 1.0),
                Band("dock", ZoneTypes.Bank, 0.5, 1.0),
            ],
            Crowding = new CrowdingRuleConfig { Zones = ["square", "dock"] },
        };
        var engine = Engine(config);

        Assert.Equal(["crowding@gate", "crowding@square", "illegal_fishing@dock", "crowding@dock"], engine.Rules.Select(r => $"{r.Scenario}@{r.Zone.Id}"));
        Assert.Equal(3, ((CrowdingRuleConfig)engine.Rules[0].Config).MinPersons);
        Assert.Equal(8, ((CrowdingRuleConfig)engine.Rules[1].Config).MinPersons);
    }

    [Fact]
    public void Process_PerZoneThreshold_FiresOnlyWhereMet()
    {
        var config = new ScenarioConfig
        {
            Zones =
            [
                Band("gate", ZoneTypes.Plaza, 0.0, 0.5) with { Crowding = new CrowdingRuleConfig { MinPersons = 3 } },
                Band("square", ZoneTypes.Plaza, 0.5, 1.0),
            ],
        };

        var events = Run(Engine(config), 0, 30, _ => [.. Crowd(4, 0.3f).Select(o => o with { TrackId = o.TrackId + 100 }), .. Crowd(4, 0.8f)]);

        var started = Assert.Single(events);
        Assert.Equal("gate", started.Zone.Id);
        Assert.Equal(3, started.Rule.Parameters["min_persons"]);
    }

    [Fact]
    public void Process_DisabledRule_NeverFires()
    {
        var engine = Engine(new ScenarioConfig { Zones = [Band("p", ZoneTypes.Plaza, 0, 1)], Crowding = new CrowdingRuleConfig { Enabled = false } });
        Assert.Empty(engine.Rules);
        Assert.Empty(Run(engine, 0, 60, _ => Crowd(12)));
    }

    [Fact]
    public void EndAll_ActiveEpisodes_EndedNowAndCooldownApplies()
    {
        var engine = Engine(Band("p", ZoneTypes.Plaza, 0, 1));
        Run(engine, 0, 25, _ => Crowd(9));
        Assert.Equal(1, engine.ActiveEpisodes);

        var result = engine.EndAll(At(26));

        var ended = Assert.Single(result.Events);
        Assert.True(result.CaptureEvidence);
        Assert.Equal(EventType.Ended, ended.Type);
        Assert.Equal(At(26), ended.FrameTime);
        Assert.Equal(1280, ended.FrameWidth);
        Assert.Equal(0, engine.ActiveEpisodes);
        Assert.Empty(engine.EndAll(At(27)).Events);
        // Cooldown from 26: the crowd (still there) starts a new episode at 86.
        Assert.Equal(86, Seconds(Assert.Single(Run(engine, 27, 90, _ => Crowd(9)))));
    }

    [Fact]
    public void Process_TimeGoingBackwards_TreatedAsSameTime()
    {
        var engine = Engine(Band("p", ZoneTypes.Plaza, 0, 1));
        Run(engine, 0, 19, _ => Crowd(9));

        var result = engine.Process(At(5), 1280, 720, Crowd(9));

        Assert.Empty(result.Events);
        Assert.Equal(20, Seconds(Assert.Single(Run(engine, 20, 20, _ => Crowd(9)))));
    }

    [Fact]
    public void Process_EpisodeIds_AreVersion7AndStable()
    {
        var engine = Engine(Band("p", ZoneTypes.Plaza, 0, 1));
        var events = Run(engine, 0, 60, _ => Crowd(9));
        events.AddRange(engine.EndAll(At(61)).Events);

        Assert.Equal([EventType.Started, EventType.Updated, EventType.Ended], events.Select(e => e.Type));
        Assert.Single(events.Select(e => e.EpisodeId).Distinct());
        Assert.Equal(7, events[0].EpisodeId.Version);
        Assert.Equal(At(20), events[0].EpisodeStartTime);
        Assert.All(events, e => Assert.Equal(At(20), e.EpisodeStartTime));
    }

    [Fact]
    public void Process_SteadyStateWithoutEvents_DoesNotAllocate()
    {
        var engine = Engine(Band("walk", ZoneTypes.Street, 0, 0.5), Band("p", ZoneTypes.Plaza, 0.5, 1));
        var objects = new List<TrackedObject>(Crowd(20));
        objects.Add(Obj(50, "litter", 0.3f, 0.3f));
        Run(engine, 0, 30, s => s < 6 ? [.. objects[..^1]] : [.. objects]);   // litter (dropped after the scene warm-up) and crowding episodes start
        var ticks = 31;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 15; i++) engine.Process(At(ticks++), 1280, 720, objects);   // 31..45: no update due (crowding at 50)
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2, engine.ActiveEpisodes);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ToEdgeEvent_MapsEveryField_AndPassesWireValidation()
    {
        var engine = Engine(Band("p", ZoneTypes.Plaza, 0, 1, area: 300) with { Name = "Square" });
        var started = Assert.Single(Run(engine, 0, 20, _ => [.. Crowd(8), Obj(99, "person", 0.99f, 1.0f, 0.05f, 0.1f)]));
        var evidence = new EvidenceRef("e1.snapshot", new string('a', 64), 1234, "image/jpeg");

        var wire = started.ToEdgeEvent("1.0", "gw-01", new CameraInfo("cam-1", "Gate", 31.2, 121.4), new ModelInfo("demo", "1", new string('b', 64)), [evidence]);

        Assert.Null(EdgeEventValidator.Validate(wire, requireSequence: false));
        Assert.Equal(started.EpisodeId, wire.EpisodeId);
        Assert.Equal(EventType.Started, wire.Type);
        Assert.Equal(WireScenarios.Crowding, wire.Scenario);
        Assert.Equal(new ZoneInfo("p", "plaza", "Square", 300), wire.Zone);
        Assert.Equal(9, wire.Rule.Measured["persons"]);
        Assert.Equal(0.03, wire.Rule.Measured["density_per_m2"]);
        Assert.Equal(9, wire.Objects.Count);
        var edge = wire.Objects.Single(o => o.TrackId == 99);
        Assert.Equal(1.0, edge.Box[3]);
        Assert.True(edge.Box[0] < edge.Box[2]);
        Assert.Equal(new FrameInfo(At(20), 1280, 720), wire.Frame);
        Assert.Equal(At(20), wire.DetectionTime);
        Assert.Equal(evidence, Assert.Single(wire.Evidence));
        Assert.Equal(7, wire.EventId.Version);
    }
}
