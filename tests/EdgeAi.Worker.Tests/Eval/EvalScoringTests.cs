using EdgeAi.Worker.Eval;

namespace EdgeAi.Worker.Tests.Eval;

public sealed class EvalScoringTests
{
    private static readonly EvalModelInfo Model = new("m", "1", "00");

    private static ClipRun Run(string name, string scenario, GtIncident[] incidents, params DetectedEpisode[] episodes) => new(
        new EvalClip(name, name + ".mp4", name + ".gt.json", new GroundTruth
        {
            Name = name,
            Scenario = scenario,
            DurationS = 60,
            Fps = 10,
            Gop = 10,
            ClockStart = new DateTimeOffset(2026, 4, 1, 10, 0, 0, TimeSpan.FromHours(8)),
            Zones = [new GtZone("z", "street", [[0, 0], [1, 0], [1, 1]])],
            Incidents = incidents,
        }), episodes, 60, 60, null);

    [Fact]
    public void Score_SumsPerScenarioAcrossClips_FalsePositivesCountWhereTheyFired()
    {
        var runs = new[]
        {
            Run("b-litter", "litter", [new GtIncident("litter", "z", 10, 60)], new DetectedEpisode("litter", "z", 22, 60),
                new DetectedEpisode("crowding", "z", 30, 50)),
            Run("a-litter", "litter", [new GtIncident("litter", "z", 20, 50), new GtIncident("litter", "z", 52, 60)], new DetectedEpisode("litter", "z", 30, 40),
                new DetectedEpisode("litter", "z", 44, 50)),
            Run("c-crowd", "crowding", []),
        };

        var report = EvalScoring.Score(runs, Model, new EvalOptions { MatchToleranceS = 1 });

        Assert.Equal(["a-litter", "b-litter", "c-crowd"], report.Clips.Select(c => c.Name));
        var litter = report.Scenarios.Single(s => s.Scenario == "litter");
        Assert.Equal((3, 2, 0, 1, 1), (litter.GtIncidents, litter.TruePositives, litter.FalsePositives, litter.FalseNegatives, litter.Duplicates));
        Assert.Equal(1.0, litter.Precision);
        Assert.Equal(0.6667, litter.Recall);
        Assert.Equal(11.0, litter.MeanTimeToDetectS);   // (10 + 12) / 2
        Assert.Equal(12.0, litter.MaxTimeToDetectS);
        var crowding = report.Scenarios.Single(s => s.Scenario == "crowding");
        Assert.Equal((0, 0, 1), (crowding.GtIncidents, crowding.TruePositives, crowding.FalsePositives));
        Assert.Equal(0.0, crowding.Precision);
        Assert.Null(crowding.Recall);
        var fishing = report.Scenarios.Single(s => s.Scenario == "illegal_fishing");
        Assert.Null(fishing.Precision);
        Assert.Null(fishing.MeanTimeToDetectS);
        Assert.Equal((3, 2, 1, 1, 1), (report.Overall.GtIncidents, report.Overall.TruePositives, report.Overall.FalsePositives, report.Overall.FalseNegatives, report.Overall.Duplicates));
        Assert.Equal(["duplicate", "tp"], report.Clips[0].Episodes.Select(e => e.Outcome).Order());
    }

    [Fact]
    public void Score_SameInputTwice_SameJson()
    {
        var runs = new[] { Run("a", "litter", [new GtIncident("litter", "z", 20, 50)], new DetectedEpisode("litter", "z", 30, 40)) };

        string Json() => System.Text.Json.JsonSerializer.Serialize(EvalScoring.Score(runs, Model, new EvalOptions()), EvalReportJsonContext.Default.EvalReport);

        Assert.Equal(Json(), Json());
        Assert.Contains("\"ttd_mean_s\": 10", Json());
        Assert.Contains("\"schema\": \"edgeai.eval/1\"", Json());
    }
}
