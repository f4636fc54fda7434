using System.Text.Json.Serialization;

namespace EdgeAi.Worker.Inference;

/// <summary>A model's <c>models[].execution_provider</c>: where ONNX Runtime runs it (<see cref="ExecutionProviders"/>).
/// The file's words are <c>cpu</c>, <c>cuda</c> and <c>tensorrt</c>; <see cref="ExecutionProviders.Name"/> gives them back for health and logs.</summary>
public enum ExecutionProvider
{
    /// <summary><c>cpu</c> (default): ONNX Runtime's CPU provider.</summary>
    Cpu,

    /// <summary><c>cuda</c>: NVIDIA CUDA (GPU build of ONNX Runtime).</summary>
    Cuda,

    /// <summary><c>tensorrt</c>: NVIDIA TensorRT, with CUDA behind it for the nodes TensorRT does not take.</summary>
    [JsonStringEnumMemberName("tensorrt")]
    TensorRt,
}
