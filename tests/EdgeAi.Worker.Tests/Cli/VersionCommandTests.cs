namespace EdgeAi.Worker.Tests.Cli;

/// <summary><c>edgeai version</c> through the real command line.</summary>
public sealed class VersionCommandTests
{
    [Fact]
    public async Task Version_CpuBuild_ShowsOnnxRuntime132AndThatTheCpuProviderLoads()
    {
        var (code, stdout, stderr) = await EdgeAiCli.RunAsync(["version"]);

        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");
        Assert.Matches(@"(?m)^onnxruntime\s+1\.32\.\d+$", stdout);
        Assert.Matches(@"(?m)^\s+provider\s+CPUExecutionProvider: loads$", stdout);
        Assert.DoesNotContain("MISSING", stdout);
    }
}
