using System.Text.Json.Nodes;
using EdgeAi.Testing;

namespace EdgeAi.Worker.Tests.Cli;

/// <summary><c>edgeai models verify</c> through the real command line.</summary>
public sealed class ModelsCommandTests
{
    private static readonly string Demo = TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json");

    [Fact]
    public async Task Verify_DemoModel_LoadsAndRunsOneFrame()
    {
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["models", "verify", Demo]);
        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");
        Assert.Contains("ok", stdout);
        Assert.Contains("edgeai-demo 1.1.0", stdout);
        Assert.Contains("input 480x288", stdout);
    }

    [Fact]
    public async Task Verify_TensorRtWithoutGpu_RunsOnCpuAndSaysWhy()
    {
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["models", "verify", Demo, "--execution-provider", "tensorrt", "--gpu-device-id", "0"]);

        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");
        if (stdout.Contains(", tensorrt, ")) return;   // a GPU box with TensorRT: nothing to fall back from
        Assert.Contains(", cpu (tensorrt unavailable: ", stdout);
    }

    [Fact]
    public async Task Verify_UnknownProvider_RefusedWithTheChoices()
    {
        var (code, _, stderr) = await EdgeAiCli.RunAsync(["models", "verify", Demo, "--execution-provider", "gpu"]);

        Assert.NotEqual(0, code);
        Assert.Contains("'gpu'", stderr);
        Assert.Contains("tensorrt", stderr);
    }

    [Fact]
    public async Task Verify_ModelFileChangedAfterTheManifest_FailsNamingTheSha256()
    {
        var dir = TestPaths.NewTempDir("models-verify");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Demo))!;
        var onnx = Path.Combine(dir, "model.onnx");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(Demo)!, manifest["file"]!.GetValue<string>()));
        bytes[^1] ^= 0xFF;   // one byte changed: a corrupted download
        await File.WriteAllBytesAsync(onnx, bytes);
        manifest["file"] = "model.onnx";
        var path = Path.Combine(dir, "model.manifest.json");
        await File.WriteAllTextAsync(path, manifest.ToJsonString());

        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["models", "verify", Demo, path]);

        Assert.Equal(78, code);
        Assert.Contains("ok", stdout);                 // the good one still reported
        Assert.Contains("FAIL", stderr);
        Assert.Contains("sha256", stderr);
        Directory.Delete(dir, recursive: true);
    }
}
