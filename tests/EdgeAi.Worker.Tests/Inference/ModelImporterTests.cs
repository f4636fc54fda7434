using System.Text.Json.Nodes;
using EdgeAi.Testing;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Tests.Cli;

namespace EdgeAi.Worker.Tests.Inference;

/// <summary><c>edgeai models import</c> on the reference layout models (tests/data/layouts) through the real command line.</summary>
public sealed class ModelImporterTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("import");

    private string Copy(string model)
    {
        var path = Path.Combine(_dir, model + ".onnx");
        File.Copy(TestPaths.InRepo("tests", "data", "layouts", model + ".onnx"), path, true);
        return path;
    }

    [Theory]
    [InlineData("yolov8", "yolov8", "float32")]     // Ultralytics metadata: names, imgsz, stride
    [InlineData("yolov5", "yolov5", "float32")]
    [InlineData("yolox", "yolox", "float32")]
    [InlineData("end2end", "end2end", "float32")]
    [InlineData("yolov8-fp16", "yolov8", "float16")]
    public async Task Import_ReferenceModel_WritesAManifestThatVerifies(string model, string layout, string inputType)
    {
        var onnx = Copy(model);
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["models", "import", onnx]);
        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");
        var manifestPath = Path.Combine(_dir, model + ".manifest.json");
        var m = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        Assert.Equal(layout, m["output"]!["layout"]!.GetValue<string>());
        Assert.Equal(model + ".onnx", m["file"]!.GetValue<string>());
        Assert.Equal(ModelManifestLoader.Sha256Of(onnx), m["sha256"]!.GetValue<string>());
        Assert.Equal(64, m["input"]!["width"]!.GetValue<int>());
        Assert.Contains($"ok    {manifestPath}", stdout);
        Assert.Contains($"{inputType} letterbox", stdout);
        var labels = m["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        if (model == "yolov8") Assert.Equal(["person", "litter", "car"], labels);   // from the Ultralytics names metadata
        else if (model != "end2end") Assert.Equal(["class0", "class1", "class2"], labels);
        if (model != "yolov8") Assert.Contains("note  no class names in the model", stdout);
    }

    [Fact]
    public async Task Import_LabelsFileWithTheWrongCount_RefusedNamingLabels()
    {
        var onnx = Copy("yolov5");
        var labels = Path.Combine(_dir, "labels.txt");
        await File.WriteAllLinesAsync(labels, ["person", "car"]);
        var (code, _, stderr) = await EdgeAiCli.RunAsync(["models", "import", onnx, "--labels", labels]);
        Assert.Equal(78, code);
        Assert.Contains("labels: 2 names given, the yolov5 output [252,8] has 3 classes", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "yolov5.manifest.json")));
    }

    [Fact]
    public async Task Import_ExistingManifest_NotOverwrittenWithoutForce()
    {
        var onnx = Copy("yolox");
        Assert.Equal(0, (await EdgeAiCli.RunAsync(["models", "import", onnx])).ExitCode);
        var (code, _, stderr) = await EdgeAiCli.RunAsync(["models", "import", onnx]);
        Assert.Equal(78, code);
        Assert.Contains("pass --force", stderr);
        Assert.Equal(0, (await EdgeAiCli.RunAsync(["models", "import", onnx, "--force"])).ExitCode);
    }

    [Fact]
    public void ParseNames_UltralyticsDict_InIndexOrder() =>
        Assert.Equal(["person", "traffic light", "it's"], ModelImporter.ParseNames("{1: 'traffic light', 0: 'person', 2: \"it's\"}"));

    public void Dispose() => Directory.Delete(_dir, true);
}
