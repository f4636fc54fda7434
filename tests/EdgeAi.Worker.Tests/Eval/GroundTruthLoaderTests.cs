using EdgeAi.Testing;
using EdgeAi.Worker.Eval;

namespace EdgeAi.Worker.Tests.Eval;

public sealed class GroundTruthLoaderTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("gt");

    private const string Good = """
        {"name": "c1", "scenario": "illegal_fishing", "variant": "fisher_ban", "width": 960, "height": 540, "fps": 10, "gop": 10, "duration_s": 60.0,
         "clock_start": "2026-03-30T11:02:11+08:00",
         "ban_schedule": {"date_ranges": [["03-01", "06-30"]], "daily": [["06:00", "22:00"]], "tz": "Asia/Shanghai"},
         "zones": [{"id": "water", "type": "water", "polygon": [[0, 0.5], [1, 0.5], [1, 1], [0, 1]]},
                   {"id": "bank", "type": "bank", "polygon": [[0, 0.3], [1, 0.3], [1, 0.5], [0, 0.5]], "area_m2": 120.5}],
         "incidents": [{"scenario": "illegal_fishing", "zone": "bank", "start_s": 30.1, "end_s": 60.0, "note": "fisher"}],
         "frames": [{"i": 0, "t": 0.0, "objects": [{"cls": "person", "box": [0.1, 0.1, 0.2, 0.3], "track": 1}]}]}
        """;

    private string Write(string name, string gt, bool video = true)
    {
        File.WriteAllText(Path.Combine(_dir, name + ".gt.json"), gt);
        if (video) File.WriteAllBytes(Path.Combine(_dir, name + ".mp4"), [0]);
        return Path.Combine(_dir, name + ".gt.json");
    }

    [Fact]
    public void Discover_GoodClip_ReadsHeaderAndBuildsTheCameraConfig()
    {
        Write("c1", Good);
        File.WriteAllBytes(Path.Combine(_dir, "extra.mp4"), [0]);

        var clips = GroundTruthLoader.Discover(_dir, out var skipped);

        var clip = Assert.Single(clips);
        Assert.Equal("c1", clip.Name);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 11, 2, 11, TimeSpan.FromHours(8)), clip.ClockStart);
        Assert.Equal(60, EvalRunner.ExpectedFrames(clip));
        Assert.EndsWith("extra.mp4", Assert.Single(skipped));
        var incident = Assert.Single(clip.Truth.Incidents!);
        Assert.Equal(("bank", 30.1, 60.0), (incident.Zone, incident.StartS, incident.EndS));

        var config = ClipScenarioConfig.For(clip);
        Assert.Equal(["water", "bank"], config.Zones.Select(z => z.Id));
        Assert.Equal(120.5, config.Zones[1].AreaM2);
        Assert.Equal(["03-01..06-30"], config.IllegalFishing.BanSchedule.DateRanges);
        Assert.Equal(["06:00-22:00"], config.IllegalFishing.BanSchedule.DailyHours);
        Assert.Equal("Asia/Shanghai", config.IllegalFishing.BanSchedule.TimeZone);
    }

    [Fact]
    public void For_CrowdingRuleInGroundTruth_SetsTheCrowdingThresholds()
    {
        var path = Write("c2", Good.Replace("\"ban_schedule\"", "\"rule\": {\"zone\": \"bank\", \"min_persons\": 6, \"min_duration_s\": 15.0}, \"x\""));
        var clip = new EvalClip("c2", "c2.mp4", path, GroundTruthLoader.Load(path));

        var config = ClipScenarioConfig.For(clip);

        Assert.Equal(6, config.Crowding.MinPersons);
        Assert.Equal(TimeSpan.FromSeconds(15), config.Crowding.MinDuration);
    }

    [Fact]
    public void Load_IncidentInUnknownZoneAndNoClock_NamesFileAndEveryKey()
    {
        var path = Write("bad", Good.Replace("\"zone\": \"bank\"", "\"zone\": \"pier\"").Replace("\"clock_start\": \"2026-03-30T11:02:11+08:00\",", ""));

        var ex = Assert.Throws<EvalInputException>(() => GroundTruthLoader.Load(path));

        Assert.Contains($"{path}: incidents[0].zone: 'pier' is not a zone of this clip", ex.Message);
        Assert.Contains($"{path}: clock_start: is required", ex.Message);
    }

    [Fact]
    public void Load_NotJson_NamesTheFile()
    {
        var path = Write("broken", "{\"name\": ");

        var ex = Assert.Throws<EvalInputException>(() => GroundTruthLoader.Load(path));

        Assert.StartsWith(path, ex.Message);
    }

    [Fact]
    public void Discover_GroundTruthWithoutVideo_IsAnError()
    {
        Write("c1", Good);
        var gt = Write("novideo", Good, video: false);

        var ex = Assert.Throws<EvalInputException>(() => GroundTruthLoader.Discover(_dir, out _));

        Assert.Contains($"{gt}: video novideo.mp4 not found", ex.Message);
    }

    [Fact]
    public void Discover_EmptyOrMissingFolder_IsAnError()
    {
        Assert.Contains("no clips with ground truth", Assert.Throws<EvalInputException>(() => GroundTruthLoader.Discover(_dir, out _)).Message);
        Assert.Contains("clip folder not found", Assert.Throws<EvalInputException>(() => GroundTruthLoader.Discover(Path.Combine(_dir, "nope"), out _)).Message);
    }

    [Fact]
    public void For_BadBanSchedule_NamesTheGroundTruthFile()
    {
        var path = Write("c3", Good.Replace("\"06:00\", \"22:00\"", "\"6 am\", \"22:00\""));
        var clip = new EvalClip("c3", "c3.mp4", path, GroundTruthLoader.Load(path));

        var ex = Assert.Throws<EvalInputException>(() => ClipScenarioConfig.For(clip));

        Assert.StartsWith($"{path}: ", ex.Message);
        Assert.Contains("6 am", ex.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
