using EdgeAi.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAi.Worker.Tests.Inference;

/// <summary>ONNX Runtime from NuGet (Microsoft.ML.OnnxRuntime, its linux-x64 libonnxruntime.so beside the tests) runs real arithmetic.</summary>
public sealed class OnnxRuntimeTests
{
    [Fact]
    public void Run_TinyConvModel_ComputesReluOfWeightedSum()
    {
        // tests/data/tiny_conv.onnx: Y = Relu(2*X[c0] - 1*X[c1] + 0.5) per pixel (see make_tiny_model.py).
        using var session = new InferenceSession(TestPaths.InRepo("tests", "data", "tiny_conv.onnx"));
        float[] c0 = [1f, 0f, -3f, 2.5f];
        float[] c1 = [0.5f, 4f, 1f, -1f];
        var input = new DenseTensor<float>(c0.Concat(c1).ToArray(), [1, 2, 2, 2]);

        using var results = session.Run([NamedOnnxValue.CreateFromTensor("X", input)]);
        var y = results.Single().AsTensor<float>();

        Assert.Equal([1, 1, 2, 2], y.Dimensions.ToArray());
        var expected = c0.Zip(c1, (a, b) => Math.Max(0f, 2 * a - b + 0.5f)).ToArray();  // [2, 0, 0, 6.5]
        Assert.Equal(expected, y.ToArray());
    }

    [Fact]
    public void Session_Metadata_DescribesInputAndOutput()
    {
        using var session = new InferenceSession(TestPaths.InRepo("tests", "data", "tiny_conv.onnx"));

        Assert.Equal("X", session.InputMetadata.Keys.Single());
        Assert.Equal(4, session.InputMetadata["X"].Dimensions.Length);
        Assert.Equal(2, session.InputMetadata["X"].Dimensions[1]);
        Assert.Equal("Y", session.OutputMetadata.Keys.Single());
    }

    [Fact]
    public void OrtEnv_Version_Is132()
    {
        Assert.StartsWith("1.32", OrtEnv.Instance().GetVersionString());
        Assert.Contains("CPUExecutionProvider", OrtEnv.Instance().GetAvailableProviders());
    }

    [Fact]
    public void Output_NoOtherPlatformsNatives_OnlyLinuxX64()
    {
        // RuntimeIdentifier=linux-x64: one libonnxruntime.so beside the binaries, no runtimes/ tree, no Windows DLLs.
        var dir = AppContext.BaseDirectory;
        Assert.True(File.Exists(Path.Combine(dir, "libonnxruntime.so")));
        Assert.False(Directory.Exists(Path.Combine(dir, "runtimes")), "runtimes/ holds other platforms' natives");
        Assert.Empty(Directory.GetFiles(dir, "onnxruntime*.dll"));
    }

    [Fact]
    public void Probe_CpuBuild_CpuProviderLoadsAndRunsTheProbeModel()
    {
        var probes = EdgeAi.Worker.Inference.ExecutionProviders.Probe();

        var cpu = Assert.Single(probes, p => p.OrtName == "CPUExecutionProvider");
        Assert.True(cpu.Loads, cpu.Detail);
        // A GPU provider is either absent from this build, or listed and then really tried: never reported as loading
        // without a session having run on it.
        Assert.All(probes.Where(p => p.OrtName != "CPUExecutionProvider" && p.Loads == false), p => Assert.False(string.IsNullOrEmpty(p.Detail)));
    }
}
