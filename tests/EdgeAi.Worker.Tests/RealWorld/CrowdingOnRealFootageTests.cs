using System.Text.Json.Nodes;
using EdgeAi.Testing;
using EdgeAi.Worker.Tests.Cli;
using Xunit.Abstractions;

namespace EdgeAi.Worker.Tests.RealWorld;

/// <summary>
/// The crowding rule on real footage: vtest.avi, a zone on the walkway, YOLOX-Nano as the detector, the whole worker
/// pipeline through <c>edgeai eval</c>. Where it should fire comes from the person counts of the independent reference
/// decoding (tests/data/realworld/yolox_reference.py) at the analysed frames, run through the rule's definition (at least
/// N persons in the zone, gaps up to the grace period bridged, held for the minimum duration).
/// </summary>
/// <remarks>
/// vtest.avi has one key frame every 25 s, and the worker analyses key frames only (the long-GOP handling is separate
/// work), so the clip is re-encoded to H.264 with a key frame every second into the test's temp folder first. The footage
/// itself stays in ../shared/realworld.
/// </remarks>
public sealed class CrowdingOnRealFootageTests(ITestOutputHelper output)
{
    // The grey walkway/road across the frame (normalised), not the grass below or the building above.
    private static readonly double[][] Walkway = [[0.15, 0.33], [1.0, 0.22], [1.0, 0.80], [0.15, 0.62]];
    private const int MinPersons = 6;
    private const double MinDurationS = 20, GraceS = 10, MinConfidence = 0.4;

    [Fact]
    public async Task Eval_CrowdingZoneOnTheWalkway_FiresWhereThePersonCountsSay()
    {
        var dir = TestPaths.NewTempDir("crowd-real");
        var clips = Directory.CreateDirectory(Path.Combine(dir, "clips")).FullName;
        var clip = Path.Combine(clips, "vtest.mp4");
        RealWorldAssets.Run("ffmpeg", ["-v", "error", "-y", "-i", RealWorldAssets.Vtest, "-c:v", "libx264", "-preset", "ultrafast", "-g", "10",
            "-keyint_min", "10", "-sc_threshold", "0", "-pix_fmt", "yuv420p", clip]);
        // The analysed frames: every key frame (0, 1, 2 … s).
        var frames = Directory.CreateDirectory(Path.Combine(dir, "frames")).FullName;
        RealWorldAssets.Run("ffmpeg", ["-v", "error", "-y", "-skip_frame", "nokey", "-i", clip, "-fps_mode", "passthrough", Path.Combine(frames, "k%03d.png")]);
        var pictures = Directory.GetFiles(frames, "k*.png").Order(StringComparer.Ordinal).ToList();
        Assert.InRange(pictures.Count, 75, 82);
        var reference = JsonNode.Parse(RealWorldAssets.Run("/usr/bin/python3",
            [TestPaths.InRepo("tests", "data", "realworld", "yolox_reference.py"), RealWorldAssets.OrtLibrary, RealWorldAssets.Yolox, "0.3", "0.45", "ffmpeg", .. pictures],
            TimeSpan.FromMinutes(10)))!.AsArray();
        var counts = reference.Select(r => r!["detections"]!.AsArray().Count(d =>
            d!["class_id"]!.GetValue<int>() == 0 && d["confidence"]!.GetValue<double>() >= MinConfidence && InWalkway(d["box"]!.AsArray(), 768, 576))).ToList();
        var incidents = Incidents(counts);
        output.WriteLine($"persons on the walkway per second: {string.Join(" ", counts)}");
        output.WriteLine($"expected crowding (>= {MinPersons} for {MinDurationS} s): {string.Join(", ", incidents.Select(i => $"{i.Start}-{i.End} s"))}");
        Assert.NotEmpty(incidents);   // the footage does have a crowded stretch at this threshold
        Assert.True(incidents.Sum(i => i.End - i.Start) < counts.Count * 0.8, "the threshold must leave quiet stretches, or the test shows nothing");

        var gt = new JsonObject
        {
            ["name"] = "vtest", ["scenario"] = "crowding", ["width"] = 768, ["height"] = 576, ["fps"] = 10, ["gop"] = 10,
            ["duration_s"] = 79.5, ["clock_start"] = "2026-06-01T10:00:00+00:00",
            ["rule"] = new JsonObject { ["zone"] = "walkway", ["min_persons"] = MinPersons, ["min_duration_s"] = MinDurationS },
            ["zones"] = new JsonArray(new JsonObject
            {
                ["id"] = "walkway", ["type"] = "street",
                ["polygon"] = new JsonArray([.. Walkway.Select(p => (JsonNode)new JsonArray(p[0], p[1]))]),
            }),
            ["incidents"] = new JsonArray([.. incidents.Select(i => (JsonNode)new JsonObject
                { ["scenario"] = "crowding", ["zone"] = "walkway", ["start_s"] = i.Start, ["end_s"] = i.End })]),
        };
        await File.WriteAllTextAsync(Path.Combine(clips, "vtest.gt.json"), gt.ToJsonString());
        var manifest = RealWorldAssets.WriteYoloxManifest(dir);
        var report = Path.Combine(dir, "report.json");
        var evidence = Path.Combine(dir, "evidence");
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["eval", "--clips", clips, "--model", manifest, "--json", report, "--evidence", evidence, "--threads", "1"],
            timeout: TimeSpan.FromMinutes(10));
        output.WriteLine(stdout);
        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");

        var r = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        var crowding = r["scenarios"]!.AsArray().Single(s => s!["scenario"]!.GetValue<string>() == "crowding")!;
        Assert.Equal(incidents.Count, crowding["tp"]!.GetValue<int>());
        Assert.Equal(0, crowding["fn"]!.GetValue<int>());
        Assert.Equal(0, crowding["fp"]!.GetValue<int>());
        Assert.Equal(0, r["overall"]!["fp"]!.GetValue<int>());   // no other rule fired on this scene either

        // Evidence of the real scene: JPEG snapshots at the footage's own resolution (768x576, not YOLOX's 416x312), not blank frames.
        var jpegs = Directory.GetFiles(evidence, "*.jpg", SearchOption.AllDirectories);
        Assert.NotEmpty(jpegs);
        using var image = OpenCvSharp.Cv2.ImDecode(await File.ReadAllBytesAsync(jpegs.OrderByDescending(f => new FileInfo(f).Length).First()), OpenCvSharp.ImreadModes.Color);
        var (w, h) = (image.Width, image.Height);
        double min, max;
        using (var channels = image.Reshape(1)) channels.MinMaxLoc(out min, out max);   // over every channel value
        output.WriteLine($"evidence: {jpegs.Length} JPEGs, largest {w}x{h}");
        Assert.Equal((768, 576), (w, h));
        Assert.True(max - min > 150, "evidence snapshot has no real picture in it");
        Directory.Delete(dir, true);
    }

    /// <summary>The crowding rule's definition over per-second counts: runs of ≥ N, gaps ≤ grace bridged, kept when ≥ T long.</summary>
    private static List<(double Start, double End)> Incidents(IReadOnlyList<int> counts)
    {
        var list = new List<(double, double)>();
        int? start = null, last = null;
        for (var t = 0; t <= counts.Count; t++)
        {
            var holds = t < counts.Count && counts[t] >= MinPersons;
            if (holds)
            {
                if (start is not null && last is not null && t - last.Value > GraceS) { Close(); }
                start ??= t;
                last = t;
            }
        }
        Close();
        return list;

        void Close()
        {
            if (start is { } s && last is { } l && l - s >= MinDurationS) list.Add((s, l));
            start = null;
            last = null;
        }
    }

    private static bool InWalkway(JsonArray box, double width, double height)
    {
        var x = (box[0]!.GetValue<double>() + box[2]!.GetValue<double>()) / 2 / width;
        var y = box[3]!.GetValue<double>() / height;
        var inside = false;
        for (int i = 0, j = Walkway.Length - 1; i < Walkway.Length; j = i++)
        {
            var (xi, yi, xj, yj) = (Walkway[i][0], Walkway[i][1], Walkway[j][0], Walkway[j][1]);
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }
}
