using EdgeAi.Configuration;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;

namespace EdgeAi.Worker.Tests.Configuration;

/// <summary>Rules naming their own models: classes are checked against those models' labels after each model's class map.</summary>
public sealed class MultiModelConfigTests
{
    private static string Write(string ruleModels, string litterClass)
    {
        var demo = TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json").Replace("\\", "/", StringComparison.Ordinal);
        var file = Path.Combine(TestPaths.NewTempDir("multi-config"), "edgeai.json");
        File.WriteAllText(file, $$"""
        {
          "device_id": "edge-1",
          "models": [ { "id": "general", "manifest": "{{demo}}" },
                      { "id": "special", "manifest": "{{demo}}", "class_map": { "litter": "trash" } } ],
          "cameras": [ { "id": "cam-1", "url": "rtsp://h/cam",
              "scenarios": { "zones": [ { "id": "s", "type": "street", "polygon": [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]] } ],
                             "litter": { "models": {{ruleModels}}, "classes": ["{{litterClass}}"] } } } ]
        }
        """);
        return file;
    }

    [Fact]
    public void Load_RuleClassFromItsOwnModelsClassMap_Accepted()
    {
        var config = WorkerConfigLoader.Load(Write("""["special"]""", "trash"), _ => null);

        var camera = Assert.Single(config.Cameras);
        Assert.Equal(["special"], camera.Scenarios.Litter.Models);
        // Crowding (the camera's model) and litter (its own): the frame runs both, the camera's model first.
        Assert.Equal(["general", "special"], CameraModels.For(camera, "general"));
        Assert.Equal("trash", config.Models[1].MapLabels(["person", "litter"])[1]);
    }

    [Fact]
    public void Load_SameClassWithTheCamerasModel_RefusedNamingThatModel()
    {
        var ex = Assert.Throws<ConfigException>(() => WorkerConfigLoader.Load(Write("[]", "trash"), _ => null));

        var error = Assert.Single(ex.Errors);
        Assert.Contains("cameras[0].scenarios.litter.classes[0]: 'trash' is not a class of model 'general'", error);
    }

    [Fact]
    public void Load_RuleWithBothModels_SeesTheUnionOfTheirLabels()
    {
        var config = WorkerConfigLoader.Load(Write("""["general", "special"]""", "trash"), _ => null);
        Assert.Equal(["general", "special"], CameraModels.For(config.Cameras[0], "general"));
    }
}
