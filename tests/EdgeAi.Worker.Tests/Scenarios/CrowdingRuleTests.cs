using EdgeAi.Models.Events;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;
using static EdgeAi.Worker.Tests.Scenarios.ScenarioKit;
using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Tests.Scenarios;

public sealed class CrowdingRuleTests
{
    private static ScenarioEngine CrowdEngine(CrowdingRuleConfig? rule = null, double? area = null) => Engine(new ScenarioConfig
    {
        Zones = [Band("plaza", ZoneTypes.Plaza, 0.4, 1.0, area)],
        Crowding = rule ?? new CrowdingRuleConfig(),
    });

    private static List<EpisodeEvent> Crowding(List<EpisodeEvent> events) => events.Where(e => e.Scenario == WireScenarios.Crowding).ToList();

    /// <summary><paramref name="n"/> persons standing in the plaza (ids 1..n).</summary>
    private static TrackedObject[] Crowd(int n) => Enumerable.Range(1, n).Select(i => Person(i, 0.05f + 0.045f * i, 0.8f)).ToArray();

    [Fact]
    public void Process_ThresholdExactlyMetForExactlyMinDuration_Starts()
    {
        var events = Crowding(Run(CrowdEngine(), 0, 20, _ => Crowd(8)));

        var started = Assert.Single(events);
        Assert.Equal(EventType.Started, started.Type);
        Assert.Equal(20, Seconds(started));
        Assert.Equal(8, started.Rule.Measured["persons"]);
        Assert.Equal(20, started.Rule.Measured["duration_s"]);
        Assert.Equal(8, started.Rule.Parameters["min_persons"]);
        Assert.Equal("crowding.min_persons", started.Rule.Name);
        Assert.Equal(8, started.Objects.Count);
        Assert.True(started.PrivacyBlur);
    }

    [Fact]
    public void Process_OneBelowThreshold_DoesNotFire()
    {
        Assert.Empty(Crowding(Run(CrowdEngine(), 0, 120, _ => Crowd(7))));
    }

    [Fact]
    public void Process_JustShortOfMinDuration_DoesNotFire()
    {
        Assert.Empty(Crowding(Run(CrowdEngine(), 0, 60, s => s < 20 ? Crowd(8) : Crowd(3))));
    }

    [Fact]
    public void Process_PersonsCrossingZoneEdge_OnlyThoseInsideCount()
    {
        // 7 inside, 3 with their feet just above the zone edge (y = 0.4): 7 < 8.
        var events = Crowding(Run(CrowdEngine(), 0, 60, _ =>
            [.. Crowd(7), Person(20, 0.6f, 0.399f), Person(21, 0.7f, 0.39f), Person(22, 0.8f, 0.38f)]));
        Assert.Empty(events);

        // One of them steps over the edge at t = 10: 8 inside from then, started at 30.
        var crossing = Crowding(Run(CrowdEngine(), 0, 50, s =>
            [.. Crowd(7), Person(20, 0.6f, s >= 10 ? 0.401f : 0.399f), Person(21, 0.7f, 0.39f)]));
        Assert.Equal(30, Seconds(Assert.Single(crossing)));
    }

    [Fact]
    public void Process_DipBelowThresholdWithinGraceBeforeStart_DoesNotResetClock()
    {
        var events = Crowding(Run(CrowdEngine(), 0, 40, s => s is >= 10 and < 15 ? Crowd(7) : Crowd(8)));

        Assert.Equal(20, Seconds(Assert.Single(events)));
    }

    [Fact]
    public void Process_DipLongerThanGraceBeforeStart_ResetsClock()
    {
        // Last 8 at 9; at 20 the lapse is 11 s > 10 s grace; 8 again from 26 → started at 46.
        var events = Crowding(Run(CrowdEngine(), 0, 60, s => s is >= 10 and < 26 ? Crowd(0) : Crowd(8)));

        Assert.Equal(46, Seconds(Assert.Single(events)));
    }

    [Fact]
    public void Process_LeaveAndReturnWithinGrace_SameEpisode_LongerLapse_Ends()
    {
        // Started at 20; dips to 7 at 31..40 (last 8 at 30, 10 s lapse = grace, not more); 8 again 41..59; then 5.
        var events = Crowding(Run(CrowdEngine(), 0, 100, s => s is >= 31 and <= 40 ? Crowd(7) : s >= 60 ? Crowd(5) : Crowd(8)));

        Assert.Equal([EventType.Started, EventType.Updated, EventType.Ended], events.Select(e => e.Type));
        Assert.Equal(50, Seconds(events[1]));
        Assert.Equal(70, Seconds(events[2]));   // last 8 at 59, lapse 11 s > 10 s
        Assert.Single(events.Select(e => e.EpisodeId).Distinct());
        Assert.Equal(59, events[2].Rule.Measured["duration_s"]);
        Assert.Equal(8, events[2].Rule.Measured["persons"]);   // as last met, not the 5 now
    }

    [Fact]
    public void Process_CrowdBackDuringCooldown_StartsWhenCooldownEnds()
    {
        // Episode 1: 0..39 → started 20, ended 50 (last 39). Back at 55 and stays: 20 s reached at 75, cooldown until 110.
        var events = Crowding(Run(CrowdEngine(), 0, 130, s => s is >= 40 and < 55 ? Crowd(2) : Crowd(9)));

        Assert.Equal([EventType.Started, EventType.Ended, EventType.Started], events.Select(e => e.Type));
        Assert.Equal([20.0, 50, 110], events.Select(Seconds));
        Assert.Equal(events[0].EpisodeId, events[1].EpisodeId);
        Assert.NotEqual(events[0].EpisodeId, events[2].EpisodeId);
    }

    [Fact]
    public void Process_ZeroCooldown_RestartsAsSoonAsDurationMet()
    {
        var events = Crowding(Run(CrowdEngine(new CrowdingRuleConfig { Cooldown = TimeSpan.Zero }), 0, 130,
            s => s is >= 40 and < 55 ? Crowd(2) : Crowd(9)));

        Assert.Equal([20.0, 75], events.Where(e => e.Type == EventType.Started).Select(Seconds));
    }

    [Fact]
    public void Process_DensityAboveMax_FiresBelowHeadCount()
    {
        var rule = new CrowdingRuleConfig { MaxDensity = 0.05 };

        var dense = Crowding(Run(CrowdEngine(rule, area: 100), 0, 30, _ => Crowd(6)));
        var exactly = Crowding(Run(CrowdEngine(rule, area: 100), 0, 30, _ => Crowd(5)));

        var started = Assert.Single(dense);
        Assert.Equal(0.06, started.Rule.Measured["density_per_m2"], 6);
        Assert.Equal(0.05, started.Rule.Parameters["max_density_per_m2"]);
        Assert.Equal("crowding.density", started.Rule.Name);
        Assert.Empty(exactly);   // 0.05 is not above 0.05
    }

    [Fact]
    public void Process_DensityWithoutZoneArea_IsIgnored()
    {
        Assert.Empty(Crowding(Run(CrowdEngine(new CrowdingRuleConfig { MaxDensity = 0.0001 }), 0, 30, _ => Crowd(6))));
    }

    [Fact]
    public void Process_UpdatesAtMostEveryUpdateInterval()
    {
        var events = Crowding(Run(CrowdEngine(new CrowdingRuleConfig { UpdateInterval = TimeSpan.FromSeconds(25) }), 0, 100, _ => Crowd(10), step: 0.5));

        Assert.Equal([20.0, 45, 70, 95], events.Select(Seconds));
        Assert.Equal([EventType.Started, EventType.Updated, EventType.Updated, EventType.Updated], events.Select(e => e.Type));
    }

    [Fact]
    public void Process_TentativeTracksCountByDefault_NotWhenConfirmedOnly()
    {
        TrackedObject[] Tentative(double _) => Crowd(8).Select(o => o with { IsConfirmed = false }).ToArray();

        Assert.Single(Crowding(Run(CrowdEngine(), 0, 30, Tentative)));
        Assert.Empty(Crowding(Run(CrowdEngine(new CrowdingRuleConfig { ConfirmedTracksOnly = true }), 0, 30, Tentative)));
    }

    [Fact]
    public void Process_PositiveFramesFurtherApartThanMaxFrameGap_AreNotContinuousPresence()
    {
        // A long-GOP camera analysed at key frames only: a crowd in every frame, frames 25 s apart. Two frames 25 s apart
        // are not 25 s of presence (the default max frame gap is 20 s), so the 20 s minimum duration is never reached.
        Assert.Empty(Crowding(Run(CrowdEngine(), 0, 100, _ => Crowd(8), step: 25)));

        // The same frames with a max gap that trusts 25 s: it starts at the second frame (what happened before the gap).
        var lenient = Crowding(Run(CrowdEngine(new CrowdingRuleConfig { MaxFrameGap = TimeSpan.FromSeconds(30) }), 0, 100, _ => Crowd(8), step: 25));
        Assert.Equal(EventType.Started, lenient[0].Type);
        Assert.Equal(25, Seconds(lenient[0]));
    }

    [Fact]
    public void Process_GapLongerThanMaxFrameGapInARunningEpisode_EndsItAtTheLastFrameSeen()
    {
        var engine = CrowdEngine();
        var events = Crowding(Run(engine, 0, 30, _ => Crowd(8)));   // started at 20 s
        Assert.Equal(EventType.Started, Assert.Single(events).Type);

        // The next frame comes 25 s later (stream gap), still crowded: the episode does not run through the gap.
        events.AddRange(Crowding(Run(engine, 55, 55, _ => Crowd(8))));
        var ended = events.Single(e => e.Type == EventType.Ended);
        Assert.Equal(30, ended.Rule.Measured["duration_s"]);   // 0 .. 30 s, the frames that saw it; not up to 55 s
    }
}
