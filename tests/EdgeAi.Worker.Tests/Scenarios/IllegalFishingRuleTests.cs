using EdgeAi.Models.Events;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;
using static EdgeAi.Worker.Tests.Scenarios.ScenarioKit;
using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Tests.Scenarios;

public sealed class IllegalFishingRuleTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static ScenarioEngine FishingEngine(IllegalFishingRuleConfig? rule = null) => Engine(new ScenarioConfig
    {
        Zones = [Band("water", ZoneTypes.Water, 0.0, 0.4), Band("bank", ZoneTypes.Bank, 0.4, 0.7), Band("path", ZoneTypes.Street, 0.7, 1.0)],
        IllegalFishing = rule ?? new IllegalFishingRuleConfig
        {
            BanSchedule = new BanScheduleConfig { DateRanges = ["03-01..06-30"], DailyHours = ["06:00-22:00"] },
        },
    });

    private static List<EpisodeEvent> Fishing(List<EpisodeEvent> events) => events.Where(e => e.Scenario == WireScenarios.IllegalFishing).ToList();

    /// <summary>A person on the bank with a rod reaching up-left over the water.</summary>
    private static TrackedObject[] Fisher(float x = 0.5f, bool rod = true, float rodOffset = 0f) => rod
        ? [Person(1, x, 0.6f), Obj(2, "fishing_rod", x - 0.06f + rodOffset, 0.52f, 0.12f, 0.1f, conf: 0.3f)]
        : [Person(1, x, 0.6f)];

    /// <summary>Runs 1 fps frames from a local Shanghai time for <paramref name="seconds"/>.</summary>
    private static List<EpisodeEvent> RunFrom(ScenarioEngine engine, DateTimeOffset localStart, int seconds, Func<int, TrackedObject[]> objectsAt)
    {
        var events = new List<EpisodeEvent>();
        for (var s = 0; s <= seconds; s++)
            events.AddRange(engine.Process(localStart.AddSeconds(s), 1280, 720, objectsAt(s)).Events);
        return Fishing(events);
    }

    [Fact]
    public void Process_FisherOnBankDuringBan_StartsAfterMinDuration()
    {
        var events = Fishing(Run(FishingEngine(), 0, 30, _ => Fisher()));

        var started = Assert.Single(events);
        Assert.Equal(20, Seconds(started));
        Assert.Equal("bank", started.Zone.Id);
        Assert.Equal(1, started.Rule.Measured["persons_with_gear"]);
        Assert.Equal(1, started.Rule.Measured["ban_active"]);
        Assert.Equal(20, started.Rule.Measured["duration_s"]);
        Assert.Equal(["person", "fishing_rod"], started.Objects.Select(o => o.Label));
    }

    [Fact]
    public void Process_WalkerWithoutRod_DoesNotFire()
    {
        Assert.Empty(Fishing(Run(FishingEngine(), 0, 60, _ => Fisher(rod: false))));
    }

    [Fact]
    public void Process_RodFarFromPerson_DoesNotFire()
    {
        Assert.Empty(Fishing(Run(FishingEngine(), 0, 60, _ => Fisher(rodOffset: 0.4f))));
    }

    [Fact]
    public void Process_BoatOnWater_Fires()
    {
        var events = Fishing(Run(FishingEngine(), 0, 30, _ => [Obj(5, "boat", 0.5f, 0.3f, 0.2f, 0.08f)]));

        var started = Assert.Single(events);
        Assert.Equal("water", started.Zone.Id);
        Assert.Equal(1, started.Rule.Measured["boats"]);
    }

    [Fact]
    public void Process_FisherOnStreetZone_DoesNotFire()
    {
        Assert.Empty(Fishing(Run(FishingEngine(), 0, 60, _ => [Person(1, 0.5f, 0.9f), Obj(2, "fishing_rod", 0.44f, 0.82f, 0.12f, 0.1f)])));
    }

    [Fact]
    public void Process_OutsideDailyHours_DoesNotFire()
    {
        var engine = FishingEngine();
        Assert.Empty(RunFrom(engine, new DateTimeOffset(2026, 4, 1, 22, 0, 0, Shanghai), 120, _ => Fisher()));
        Assert.Empty(RunFrom(engine, new DateTimeOffset(2026, 4, 2, 5, 0, 0, Shanghai), 120, _ => Fisher()));
    }

    [Fact]
    public void Process_OutsideSeason_DoesNotFire()
    {
        Assert.Empty(RunFrom(FishingEngine(), new DateTimeOffset(2026, 7, 1, 0, 0, 0, Shanghai).AddHours(10), 120, _ => Fisher()));
        Assert.Empty(RunFrom(FishingEngine(), new DateTimeOffset(2026, 2, 28, 10, 0, 0, Shanghai), 120, _ => Fisher()));
    }

    [Fact]
    public void Process_BanStartsWhileFishing_CountsFromBanStart()
    {
        // Fishing from 05:59:30 local; the ban starts at 06:00:00, so 20 s of ban time are reached at 06:00:20.
        var start = new DateTimeOffset(2026, 4, 1, 5, 59, 30, Shanghai);
        var events = RunFrom(FishingEngine(), start, 90, _ => Fisher());

        var started = Assert.Single(events);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 6, 0, 20, Shanghai), started.FrameTime);
    }

    [Fact]
    public void Process_BanEndsWhileFishing_EndsAfterGrace()
    {
        // Episode running before 22:00; the last ban second is 21:59:59, grace 15 s is exceeded at 22:00:15.
        var start = new DateTimeOffset(2026, 4, 1, 21, 59, 0, Shanghai);
        var events = RunFrom(FishingEngine(), start, 120, _ => Fisher());

        Assert.Equal([EventType.Started, EventType.Ended], events.Select(e => e.Type));
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 21, 59, 20, Shanghai), events[0].FrameTime);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 22, 0, 15, Shanghai), events[1].FrameTime);
    }

    [Fact]
    public void Process_FisherHiddenBrieflyWithinGrace_OneEpisode()
    {
        var events = Fishing(Run(FishingEngine(), 0, 200, s => s is (>= 40 and < 52) or >= 100 ? [] : Fisher()));

        Assert.Equal([EventType.Started, EventType.Updated, EventType.Ended], events.Select(e => e.Type));
        Assert.Equal([20.0, 80, 115], events.Select(Seconds));   // updated every 60 s; last seen 99, grace 15 s
        Assert.Single(events.Select(e => e.EpisodeId).Distinct());
    }

    [Fact]
    public void Process_FisherLeavesBeforeMinDuration_DoesNotFire()
    {
        Assert.Empty(Fishing(Run(FishingEngine(), 0, 100, s => s < 19 ? Fisher() : [])));
    }
}
