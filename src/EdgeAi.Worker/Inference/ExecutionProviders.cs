using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeAi.Worker.Inference;

/// <summary>One execution provider ONNX Runtime lists, and whether a session with it really loads and runs here.</summary>
/// <param name="OrtName">ONNX Runtime's name, e.g. <c>CUDAExecutionProvider</c>.</param>
/// <param name="Loads">A one-node model ran with this provider; null when EdgeAi has no way to select it (listed only).</param>
/// <param name="Detail">Why it does not load (ONNX Runtime's first message line), or null.</param>
public sealed record ProviderProbe(string OrtName, bool? Loads, string? Detail);

/// <summary>
/// The execution providers a model can be configured with (<c>models[].execution_provider</c>): <c>cpu</c>, <c>cuda</c> and
/// <c>tensorrt</c>, and how each is added to a session. CUDA and TensorRT need the GPU build (<c>make build GPU=1</c>,
/// <c>Microsoft.ML.OnnxRuntime.Gpu.Linux</c>) and, at run time, the CUDA/cuDNN (and TensorRT) libraries its provider
/// libraries link against; without them adding the provider or creating the session throws
/// <see cref="OnnxRuntimeException"/>, which <see cref="OnnxDetector"/> turns into a logged fallback to CPU.
/// </summary>
public static class ExecutionProviders
{
    /// <summary>Every provider, in the order the file's choices are listed.</summary>
    public static IReadOnlyList<ExecutionProvider> All { get; } = Enum.GetValues<ExecutionProvider>();

    /// <summary>The file's word for <paramref name="provider"/> (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>): what health and logs show.</summary>
    public static string Name(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.Cpu => "cpu",
        ExecutionProvider.Cuda => "cuda",
        ExecutionProvider.TensorRt => "tensorrt",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>The provider whose <see cref="Name"/> is <paramref name="name"/>, or null.</summary>
    public static ExecutionProvider? Parse(string name) => All.Select(p => (ExecutionProvider?)p).FirstOrDefault(p => Name(p!.Value) == name);

    /// <summary>ONNX Runtime's name of <paramref name="provider"/>.</summary>
    public static string OrtName(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.Cuda => "CUDAExecutionProvider",
        ExecutionProvider.TensorRt => "TensorrtExecutionProvider",
        ExecutionProvider.Cpu => "CPUExecutionProvider",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>
    /// Adds <paramref name="provider"/> on GPU <paramref name="deviceId"/> to <paramref name="options"/>, ahead of the CPU
    /// provider that every session has. <c>tensorrt</c> also adds CUDA behind TensorRT, for the nodes TensorRT does not take.
    /// Throws <see cref="OnnxRuntimeException"/> when this ONNX Runtime build lacks the provider or its library cannot load.
    /// </summary>
    public static void Append(SessionOptions options, ExecutionProvider provider, int deviceId)
    {
        switch (provider)
        {
            case ExecutionProvider.Cpu:
                break;
            case ExecutionProvider.Cuda:
                options.AppendExecutionProvider_CUDA(deviceId);
                break;
            case ExecutionProvider.TensorRt:
                options.AppendExecutionProvider_Tensorrt(deviceId);
                options.AppendExecutionProvider_CUDA(deviceId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    /// <summary>Whether an exception from adding a provider or creating a session with it means "this provider cannot run here".</summary>
    public static bool IsUnavailable(Exception ex) => ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException;

    /// <summary>
    /// Every provider ONNX Runtime lists (<c>OrtEnv.GetAvailableProviders()</c>, i.e. compiled into this build), each tried
    /// for real: a session on a one-node model (<c>Y = Relu(X)</c>) with that provider on GPU <paramref name="deviceId"/>,
    /// run once. Listed is not the same as usable: the GPU build lists CUDA on a box without CUDA, where it cannot load.
    /// </summary>
    public static IReadOnlyList<ProviderProbe> Probe(int deviceId = 0)
    {
        var probes = new List<ProviderProbe>();
        foreach (var ortName in OrtEnv.Instance().GetAvailableProviders())
        {
            var known = All.Select(p => (ExecutionProvider?)p).FirstOrDefault(p => OrtName(p!.Value) == ortName);
            if (known is not { } provider)
            {
                probes.Add(new ProviderProbe(ortName, null, null));
                continue;
            }
            try
            {
                using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
                Append(options, provider, deviceId);
                using var session = new InferenceSession(ProbeModel, options);
                float[] x = [-1f, 0f, 1f, 2f];
                using var input = OrtValue.CreateTensorValueFromMemory(x, [1, 4]);
                using var runOptions = new RunOptions();
                using var output = session.Run(runOptions, ["X"], [input], ["Y"]);
                var y = output[0].GetTensorDataAsSpan<float>();
                probes.Add(y.SequenceEqual([0f, 0f, 1f, 2f])
                    ? new ProviderProbe(ortName, true, null)
                    : new ProviderProbe(ortName, false, $"wrong result from Relu: [{string.Join(", ", y.ToArray())}]"));
            }
            catch (Exception ex) when (IsUnavailable(ex))
            {
                probes.Add(new ProviderProbe(ortName, false, Explain(provider, ex)));
            }
        }
        return probes;
    }

    /// <summary>
    /// Why <paramref name="provider"/> failed, for logs and health. ONNX Runtime's exception says only "Failed to load shared
    /// library" (the reason goes to its own log), so the provider library beside libonnxruntime.so is opened here to get
    /// the loader's message, e.g. <c>libcublasLt.so.13: cannot open shared object file</c>; missing, it is the CPU build.
    /// </summary>
    public static string Explain(ExecutionProvider provider, Exception ex)
    {
        var reason = FirstLine(ex.Message);
        if (provider is not (ExecutionProvider.Cuda or ExecutionProvider.TensorRt)) return reason;
        var file = $"libonnxruntime_providers_{Name(provider)}.so";
        var path = Path.Combine(AppContext.BaseDirectory, file);
        if (!File.Exists(path)) return $"{reason} ({file} is not beside the binaries: this is the CPU build of ONNX Runtime; build with `make build GPU=1`)";
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return reason;   // the library loads: the failure is elsewhere (no GPU, driver), and ONNX Runtime's message says it
        }
        catch (DllNotFoundException load)
        {
            var missing = load.Message.Split(':').Select(p => p.Trim()).FirstOrDefault(p => p.Contains(".so.", StringComparison.Ordinal) && !p.Contains('/'));
            return missing is null ? $"{reason}: {FirstLine(load.Message)}" : $"{reason}: {file} needs {missing}, which cannot be loaded (CUDA/cuDNN/TensorRT runtime libraries on the library path?)";
        }
    }

    internal static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>
    /// A valid ONNX model (IR 7, opset 13) of one node, <c>Y = Relu(X)</c> with X and Y float [1, 4], made with the onnx
    /// Python package's helper API (81 bytes; every provider supports Relu).
    /// </summary>
    private static readonly byte[] ProbeModel = Convert.FromBase64String(
        "CAcSBmVkZ2VhaTo/CgwKAVgSAVkiBFJlbHUSBXByb2JlWhMKAVgSDgoMCAESCAoCCAEKAggEYhMKAVkSDgoMCAESCAoCCAEKAggEQgQKABAN");
}
