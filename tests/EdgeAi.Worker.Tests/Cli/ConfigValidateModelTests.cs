using EdgeAi.Testing;
using EdgeAi.Worker.Tests.Inference;

namespace EdgeAi.Worker.Tests.Cli;

/// <summary><c>edgeai config validate</c> on configs whose model cannot run as described or lacks a rule's classes.</summary>
public sealed class ConfigValidateModelTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("cfg-model");

    private string Config(string manifest, string scenarios = "{}")
    {
        var path = Path.Combine(_dir, "edgeai.json");
        File.WriteAllText(path, $$"""
            {
              "device_id": "edge-1",
              "models": [ { "id": "coco", "manifest": "{{manifest}}" } ],
              "cameras": [ { "id": "cam-1", "url": "rtsp://h/cam", "scenarios": {{scenarios}} } ]
            }
            """);
        return path;
    }

    [Fact]
    public async Task Validate_Int8OutputModel_RefusedWithTheManifestKey()
    {
        var manifest = LayoutParityTests.WriteManifest(_dir, "int8-output", "yolov8", ["person", "litter", "car"]);
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["config", "validate", Config(manifest)]);
        Assert.True(code == 78, $"exit {code}: {stdout}{stderr}");
        Assert.Contains("models[0].manifest:", stderr);
        Assert.Contains("output.name: model output 'output0' is Int8", stderr);
    }

    [Fact]
    public async Task Validate_OutputNotTheDeclaredLayout_RefusedWithReason()
    {
        var manifest = LayoutParityTests.WriteManifest(_dir, "yolov5", "yolov8", ["person", "litter", "car"]);
        var (code, _, stderr) = await EdgeAiCli.RunAsync(["config", "validate", Config(manifest)]);
        Assert.Equal(78, code);
        Assert.Contains("output.layout: [252,8] looks transposed for yolov8", stderr);
    }

    [Fact]
    public async Task Validate_CrowdingClassTheModelLacks_RefusedWithSuggestion_ThenValidWhenFixed()
    {
        var manifest = LayoutParityTests.WriteManifest(_dir, "yolox", "yolox", ["person", "litter", "car"]);
        var zones = """{ "zones": [ { "id": "walk", "type": "street", "polygon": [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]] } ], "crowding": { "person_classes": [%] } }""";
        var (code, _, stderr) = await EdgeAiCli.RunAsync(["config", "validate", Config(manifest, zones.Replace("%", "\"persons\""))]);
        Assert.Equal(78, code);
        Assert.Contains("cameras[0].scenarios.crowding.person_classes[0]: 'persons' is not a class of model 'coco' (did you mean 'person'?)", stderr);

        (code, var stdout, stderr) = await EdgeAiCli.RunAsync(["config", "validate", Config(manifest, zones.Replace("%", "\"person\""))]);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("valid", stdout);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
