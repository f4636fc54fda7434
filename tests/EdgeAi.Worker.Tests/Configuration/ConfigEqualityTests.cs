using System.Text.Json.Nodes;
using EdgeAi.Configuration;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;

namespace EdgeAi.Worker.Tests.Configuration;

/// <summary>
/// <see cref="ConfigEquality"/> on real loads of the sample config: what hot reload uses to decide which cameras and
/// sections changed (<see cref="Pipeline.WorkerPipeline.ApplyAsync"/>, the reloader's restart-only warning).
/// </summary>
public sealed class ConfigEqualityTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("cfgeq");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The sample config, edited by <paramref name="edit"/>, written next to the models it names and loaded.</summary>
    private WorkerConfig Load(Action<JsonObject>? edit = null)
    {
        var sample = TestPaths.InRepo("config", "edgeai.sample.json");
        var root = JsonNode.Parse(File.ReadAllText(sample), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        root["models"]![0]!["manifest"] = TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json");
        edit?.Invoke(root);
        var file = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(file, root.ToJsonString());
        return WorkerConfigLoader.Load(file, _ => null);
    }

    [Fact]
    public void Equal_TwoLoadsOfTheSameFile_EqualAlthoughTheirListsAreDistinct()
    {
        var (a, b) = (Load(), Load());

        Assert.NotEqual(a.Cameras[0], b.Cameras[0]);   // record equality: the zone lists are different instances
        Assert.True(ConfigEquality.Equal(a.Cameras[0], b.Cameras[0]));
        Assert.True(ConfigEquality.Equal(a.Cameras, b.Cameras));
        Assert.True(ConfigEquality.Equal(a.Models, b.Models));
        Assert.True(ConfigEquality.Equal(a.Evidence, b.Evidence));
    }

    [Fact]
    public void Equal_OnePolygonPointMoved_DiffersAndOnlyInScenarios()
    {
        var a = Load();
        var b = Load(r => r["cameras"]![0]!["scenarios"]!["zones"]![1]!["polygon"]![2]![0] = 0.65);

        Assert.False(ConfigEquality.Equal(a.Cameras[0], b.Cameras[0]));
        Assert.True(ConfigEquality.Equal(a.Cameras[1], b.Cameras[1]));
        // What ApplyAsync asks to reconfigure in place instead of restarting the camera:
        Assert.True(ConfigEquality.Equal(a.Cameras[0] with { Scenarios = b.Cameras[0].Scenarios, Quality = b.Cameras[0].Quality }, b.Cameras[0]));
    }

    [Fact]
    public void Equal_DecodeOrListOrMapChanged_Differs_MapOrderDoesNot()
    {
        var a = Load();

        Assert.False(ConfigEquality.Equal(a.Cameras[0], Load(r => r["cameras"]![0]!["decode"]!["mode"] = "all").Cameras[0]));
        Assert.False(ConfigEquality.Equal(a.Cameras[0], Load(r => r["cameras"]![0]!["scenarios"]!["illegal_fishing"]!["ban_schedule"]!["date_ranges"] = new JsonArray("03-01..07-31")).Cameras[0]));
        Assert.False(ConfigEquality.Equal(a.Evidence, Load(r => r["evidence"]!["blur_classes"] = new JsonArray("person", "face")).Evidence));
        Assert.False(ConfigEquality.Equal(a.HealthInterval, Load(r => r["health_interval_s"] = 11).HealthInterval));

        var ab = Load(r => r["models"]![0]!["class_map"] = new JsonObject { ["person"] = "person", ["litter"] = "trash" });
        var ba = Load(r => r["models"]![0]!["class_map"] = new JsonObject { ["litter"] = "trash", ["person"] = "person" });
        var other = Load(r => r["models"]![0]!["class_map"] = new JsonObject { ["litter"] = "litter", ["person"] = "person" });
        Assert.True(ConfigEquality.Equal(ab.Models, ba.Models));
        Assert.False(ConfigEquality.Equal(ab.Models, other.Models));
        Assert.False(ConfigEquality.Equal(a.Models, ab.Models));
    }
}
