using EdgeAi.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAi.Worker.Tests.Inference;

/// <summary>ONNX Runtime built from the npm package's official C# sources runs real arithmetic.</summary>
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
    public void OrtEnv_Version_Is129()
    {
        Assert.StartsWith("1.29", OrtEnv.Instance().GetVersionString());
        Assert.Contains("CPUExecutionProvider", OrtEnv.Instance().GetAvailableProviders());
    }
}
