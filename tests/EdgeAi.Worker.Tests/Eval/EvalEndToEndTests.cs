using System.Text.Json;
using EdgeAi.Testing;
using EdgeAi.Worker.Cli;
using EdgeAi.Worker.Eval;

namespace EdgeAi.Worker.Tests.Eval;

/// <summary>
/// <c>edgeai eval</c> end to end: clips rendered by the scene generator, decoded by real ffmpeg, analysed by the
/// bundled detector in real ONNX Runtime, tracked, scored. Nothing here depends on how fast the machine is: file
/// mode drops no frame and runs on the clips' own clock.
/// </summary>
public sealed class EvalEndToEndTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("eval");

    /// <summary>Renders one short 640x360 clip (about 2 s of CPU) with its ground truth into the test folder.</summary>
    private void Render(string name, string scenario, int seed, string variant, int seconds, bool early)
    {
        string[] args = [TestPaths.InRepo("models", "scenegen", "render.py"), "--scenario", scenario, "--seed", seed.ToString(), "--variant", variant,
            "--duration", seconds.ToString(), "--width", "640", "--height", "360", "--name", name, "--out", _dir, .. early ? new[] { "--early" } : []];
        var (code, output) = Tool.Exec("/usr/bin/python3", args);
        Assert.True(code == 0, $"scene generator failed ({code}): {output}");
    }

    [Fact]
    public async Task Eval_CollapseClipAndDistractorClip_FindsTheOneIncidentWithoutFalsePositives()
    {
        Render("e2e-collapse", "road_collapse", 92, "collapse", 15, early: true);   // pothole from 4.5 s to the end
        Render("e2e-none", "road_collapse", 14, "none", 15, early: false);          // shadows, markings, manholes only
        var json = Path.Combine(_dir, "out", "eval.json");
        var plots = Path.Combine(_dir, "plots");

        var code = await EdgeAiCommandLine.Build().Parse(["eval", "--clips", _dir, "--json", json, "--plots", plots,
            "--model", TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json"), "--threads", "1"]).InvokeAsync()
            .WaitAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(0, code);
        var report = JsonSerializer.Deserialize(File.ReadAllText(json), EvalReportJsonContext.Default.EvalReport)!;
        Assert.Equal(["e2e-collapse", "e2e-none"], report.Clips.Select(c => c.Name));
        Assert.All(report.Clips, c =>
        {
            Assert.Null(c.Error);
            Assert.Equal(15, c.FramesAnalysed);   // one key frame per second, none dropped
        });

        var road = report.Scenarios.Single(s => s.Scenario == "road_collapse");
        Assert.Equal((1, 1, 0, 0, 0), (road.GtIncidents, road.TruePositives, road.FalsePositives, road.FalseNegatives, road.Duplicates));
        var incident = Assert.Single(report.Clips[0].Incidents);
        // The rule needs the pothole in 5 analysed frames (one per second): it cannot decide before 4 s after it appears.
        Assert.InRange(incident.TimeToDetectS!.Value, 4, 10.5);
        Assert.Empty(report.Clips[1].Episodes);
        Assert.Equal((1, 0, 0), (report.Overall.TruePositives, report.Overall.FalsePositives, report.Overall.Duplicates));

        Assert.True(File.Exists(Path.Combine(plots, "summary.svg")));
        var timeline = File.ReadAllText(Path.Combine(plots, "e2e-collapse.svg"));
        Assert.StartsWith("<svg", timeline);
        Assert.Contains("road_collapse / road", timeline);
    }

    [Fact]
    public async Task Eval_FolderWithoutGroundTruth_ExitsWithInputError()
    {
        var code = await EdgeAiCommandLine.Build().Parse(["eval", "--clips", _dir]).InvokeAsync();

        Assert.Equal(EvalCommand.ExitInput, code);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
