using EdgeAi.Worker.Eval;

namespace EdgeAi.Worker.Tests.Eval;

public sealed class EpisodeMatcherTests
{
    private const double Tolerance = 2;

    private static GtIncident Incident(double start, double end, string scenario = "litter", string zone = "sidewalk") => new(scenario, zone, start, end);

    private static DetectedEpisode Episode(double start, double end, string scenario = "litter", string zone = "sidewalk") => new(scenario, zone, start, end);

    [Fact]
    public void Match_OneEpisodeOverlappingTheIncident_IsTruePositiveWithTimeToDetect()
    {
        var m = EpisodeMatcher.Match([Incident(30, 60)], [Episode(42, 60)], Tolerance);

        Assert.Equal(EpisodeOutcome.TruePositive, Assert.Single(m.Episodes).Outcome);
        var i = Assert.Single(m.Incidents);
        Assert.True(i.Detected);
        Assert.Equal(1, i.Episodes);
        Assert.Equal(12, i.TimeToDetectS!.Value, 6);
    }

    [Fact]
    public void Match_NoEpisode_IncidentIsMissed()
    {
        var m = EpisodeMatcher.Match([Incident(30, 60)], [], Tolerance);

        var i = Assert.Single(m.Incidents);
        Assert.False(i.Detected);
        Assert.Null(i.TimeToDetectS);
        Assert.Equal(0, i.Episodes);
    }

    [Fact]
    public void Match_EpisodeWithoutIncident_IsFalsePositive()
    {
        var m = EpisodeMatcher.Match([], [Episode(10, 20)], Tolerance);

        var e = Assert.Single(m.Episodes);
        Assert.Equal(EpisodeOutcome.FalsePositive, e.Outcome);
        Assert.Null(e.Incident);
    }

    [Fact]
    public void Match_IncidentSplitIntoTwoEpisodes_FirstIsTruePositiveSecondIsDuplicate()
    {
        // Listed out of order on purpose: the earlier episode is the detection, whatever the list order.
        var m = EpisodeMatcher.Match([Incident(30, 80)], [Episode(60, 80), Episode(40, 50)], Tolerance);

        Assert.Equal(EpisodeOutcome.Duplicate, m.Episodes[0].Outcome);
        Assert.Equal(EpisodeOutcome.TruePositive, m.Episodes[1].Outcome);
        var i = Assert.Single(m.Incidents);
        Assert.Equal(2, i.Episodes);
        Assert.Equal(1, i.Episode);
        Assert.Equal(10, i.TimeToDetectS!.Value, 6);
    }

    [Fact]
    public void Match_SameTimeOtherZone_IsFalsePositiveAndIncidentMissed()
    {
        var m = EpisodeMatcher.Match([Incident(30, 60, zone: "greenery")], [Episode(40, 60, zone: "sidewalk")], Tolerance);

        Assert.Equal(EpisodeOutcome.FalsePositive, Assert.Single(m.Episodes).Outcome);
        Assert.False(Assert.Single(m.Incidents).Detected);
    }

    [Fact]
    public void Match_SameTimeAndZoneOtherScenario_IsFalsePositiveAndIncidentMissed()
    {
        var m = EpisodeMatcher.Match([Incident(30, 60, "crowding", "plaza")], [Episode(40, 60, "litter", "plaza")], Tolerance);

        Assert.Equal(EpisodeOutcome.FalsePositive, Assert.Single(m.Episodes).Outcome);
        Assert.False(Assert.Single(m.Incidents).Detected);
    }

    [Fact]
    public void Match_EpisodeStartingAfterTheIncidentEnded_CountsOnlyWithinTheTolerance()
    {
        var within = EpisodeMatcher.Match([Incident(30, 40)], [Episode(41.5, 50)], Tolerance);
        var beyond = EpisodeMatcher.Match([Incident(30, 40)], [Episode(42.5, 50)], Tolerance);

        Assert.Equal(EpisodeOutcome.TruePositive, Assert.Single(within.Episodes).Outcome);
        Assert.Equal(EpisodeOutcome.FalsePositive, Assert.Single(beyond.Episodes).Outcome);
        Assert.False(Assert.Single(beyond.Incidents).Detected);
    }

    [Fact]
    public void Match_TwoIncidentsInOneZone_EachEpisodeGoesToTheIncidentItOverlapsMost()
    {
        var m = EpisodeMatcher.Match([Incident(10, 30), Incident(50, 70)], [Episode(25, 45), Episode(55, 70)], Tolerance);

        Assert.Equal(0, m.Episodes[0].Incident);   // 25-45 overlaps 10-30 (+2) by 7 s, 50-70 (-2) by none
        Assert.Equal(1, m.Episodes[1].Incident);
        Assert.All(m.Episodes, e => Assert.Equal(EpisodeOutcome.TruePositive, e.Outcome));
        Assert.All(m.Incidents, i => Assert.True(i.Detected));
    }

    [Fact]
    public void Match_OneEpisodeSpanningTwoIncidents_DetectsOnlyTheOneItBeganIn()
    {
        var m = EpisodeMatcher.Match([Incident(10, 30), Incident(32, 70)], [Episode(20, 70)], Tolerance);

        Assert.Equal(0, Assert.Single(m.Episodes).Incident);   // overlaps the second one longer, but began 12 s before it
        Assert.True(m.Incidents[0].Detected);
        Assert.False(m.Incidents[1].Detected);
    }

    [Fact]
    public void Match_EpisodeBeganBeforeTheIncident_IsFalsePositiveAndIncidentMissed()
    {
        // A static object taken for litter from 11 s on; the real item is dropped at 39.4 s in the same zone.
        var early = EpisodeMatcher.Match([Incident(39.4, 60)], [Episode(11, 60)], Tolerance);
        var withinTolerance = EpisodeMatcher.Match([Incident(39.4, 60)], [Episode(37.5, 60)], Tolerance);

        Assert.Equal((EpisodeOutcome.FalsePositive, (int?)null), (Assert.Single(early.Episodes).Outcome, early.Episodes[0].Incident));
        Assert.False(Assert.Single(early.Incidents).Detected);
        Assert.Equal(EpisodeOutcome.TruePositive, Assert.Single(withinTolerance.Episodes).Outcome);
        Assert.Equal(-1.9, withinTolerance.Incidents[0].TimeToDetectS!.Value, 6);
    }

    [Fact]
    public void Match_NegativeTolerance_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EpisodeMatcher.Match([], [], -1));
    }
}
