namespace EdgeAi.Worker.Inference;

/// <summary>How a model is run. Defaults: CPU, 2 intra-op threads, batches of up to 4 frames, 20 ms batch wait.</summary>
public sealed record InferenceOptions
{
    /// <summary>
    /// CPU (default), CUDA or TensorRT (<see cref="ExecutionProviders"/>). A GPU provider that cannot run here falls
    /// back to CPU with a warning; health then reports the provider in use, "cpu".
    /// </summary>
    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>GPU (CUDA device ordinal) the CUDA or TensorRT provider runs on. Default 0.</summary>
    public int GpuDeviceId { get; init; }

    /// <summary>ONNX Runtime intra-op threads. Default 2.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Most frames per Run (across cameras) when the model has a dynamic batch axis. Default 4.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>How long the stage waits to fill a batch once it has one frame. Default 20 ms.</summary>
    public TimeSpan BatchWait { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin (busy-wait) for the next piece of work instead of sleeping. Default
    /// false: spinning shaves microseconds off back-to-back runs but burns CPU between them, and on an edge box the
    /// cameras' ffmpeg decoders need that CPU (16-camera profile: 8 % of the machine on a <c>pause</c> loop in ORT).
    /// </summary>
    public bool SpinWait { get; init; }

    /// <summary>Overrides the manifest's confidence threshold when set.</summary>
    public float? Confidence { get; init; }
}
