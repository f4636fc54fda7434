using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using EdgeAi.Worker.Detection;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAi.Worker.Inference;

/// <summary>
/// One ONNX Runtime session for one detector model: validates the model against its manifest, fills a
/// preallocated input tensor from planar frames, runs a batch, decodes and NMSes each image.
/// Not thread-safe: the inference stage owns it and calls it from one loop.
/// </summary>
public sealed partial class OnnxDetector : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly Preprocessor _preprocessor;
    private readonly OutputDecoder _decoder;
    private readonly TensorElementType _inputType;
    private readonly float[] _input;
    private float[] _outputScratch = [];
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly ILogger _logger;

    /// <summary>
    /// The session settings the detector runs with before any execution provider is added (threads, graph optimisation,
    /// spinning). Also used by the inference benchmark's bare ORT loop, so both run with the same settings.
    /// </summary>
    public static SessionOptions CpuSessionOptions(InferenceOptions options)
    {
        var so = new SessionOptions
        {
            IntraOpNumThreads = options.Threads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.SpinWait ? "1" : "0");
        return so;
    }

    public OnnxDetector(ModelManifest manifest, InferenceOptions options, ILogger logger)
    {
        Manifest = manifest;
        _logger = logger;
        var requested = options.ExecutionProvider;
        ExecutionProvider = ExecutionProvider.Cpu;
        if (requested != ExecutionProvider.Cpu)
        {
            // The provider's library (and the CUDA/TensorRT libraries it links) load when it is added, the GPU when the
            // session is created: either can fail on a box without them, and either way the model runs on CPU instead.
            try
            {
                using var gpu = CpuSessionOptions(options);
                ExecutionProviders.Append(gpu, requested, options.GpuDeviceId);
                _session = new InferenceSession(manifest.ModelPath, gpu);
                ExecutionProvider = requested;
            }
            catch (Exception ex) when (ExecutionProviders.IsUnavailable(ex))
            {
                FellBackToCpu = true;
                FallbackReason = ExecutionProviders.Explain(requested, ex);
                LogProviderFallback(manifest.Name, ExecutionProviders.Name(requested), options.GpuDeviceId, FallbackReason);
            }
        }

        if (_session is null)
        {
            using var so = CpuSessionOptions(options);
            try
            {
                _session = new InferenceSession(manifest.ModelPath, so);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new ModelManifestException($"{manifest.ModelPath}: ONNX Runtime cannot load the model: {ex.Message}");
            }
        }

        try
        {
            var (inputName, inputMeta) = _session.InputMetadata.FirstOrDefault(kv => kv.Key == manifest.Input.Name);
            if (inputMeta is null)
                throw Mismatch("input.name", $"model has no input '{manifest.Input.Name}' (inputs: {string.Join(", ", _session.InputMetadata.Keys)})");
            if (_session.InputMetadata.Count > 1)
                throw Mismatch("input.name", $"model has {_session.InputMetadata.Count} inputs ({string.Join(", ", _session.InputMetadata.Keys)}); only models with one image input are supported");
            var dims = inputMeta.Dimensions;
            if (dims.Length != 4 || (dims[1] != 3 && dims[1] != -1))
                throw Mismatch("input.layout", $"model input '{inputName}' has shape [{string.Join(",", dims)}], expected [N,3,H,W]");
            if ((dims[2] != -1 && dims[2] != manifest.Input.Height) || (dims[3] != -1 && dims[3] != manifest.Input.Width))
                throw Mismatch("input.width/height", $"model input is {dims[3]}x{dims[2]}, manifest says {manifest.Input.Width}x{manifest.Input.Height}");
            _inputType = inputMeta.ElementDataType;
            if (_inputType is not (TensorElementType.Float or TensorElementType.Float16))
                throw Mismatch("input.name", $"model input '{inputName}' is {_inputType}; only float32 and float16 image inputs are supported");
            if (!_session.OutputMetadata.TryGetValue(manifest.Output.Name, out var outputMeta))
                throw Mismatch("output.name", $"model has no output '{manifest.Output.Name}' (outputs: {string.Join(", ", _session.OutputMetadata.Keys)})");
            var outType = outputMeta.ElementDataType;
            if (outType is not (TensorElementType.Float or TensorElementType.Float16))
                throw Mismatch("output.name", $"model output '{manifest.Output.Name}' is {outType}; only float32 and float16 outputs are supported " +
                    "(int8 models: keep the DequantizeLinear before the output, as ONNX Runtime's quantize_static does)");
            _decoder = new OutputDecoder(manifest);
            var od = outputMeta.Dimensions;
            if (od.Length != 3)
                throw Mismatch("output.layout", $"model output '{manifest.Output.Name}' has shape [{string.Join(",", od)}]; {manifest.Output.Layout} needs [batch, a, b]");
            if (od[1] > 0 && od[2] > 0 && _decoder.ShapeProblem(od[1], od[2], manifest.Labels.Count) is { } problem)
                throw Mismatch("output.layout", problem);
            if (od[1] > 0 && od[2] > 0) OutputDims = ((int)od[1], (int)od[2]);
            InputType = _inputType == TensorElementType.Float16 ? "float16" : "float32";
            OutputType = outType == TensorElementType.Float16 ? "float16" : "float32";

            MaxBatch = dims[0] == -1 ? Math.Max(1, options.BatchSize) : Math.Max(1, dims[0]);
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }
        _preprocessor = new Preprocessor(manifest.Input);
        _input = new float[MaxBatch * _preprocessor.TensorFloats];
        _inputNames = [manifest.Input.Name];
        _outputNames = [manifest.Output.Name];
        Confidence = options.Confidence ?? manifest.Thresholds.Confidence;
    }

    /// <summary>Element type of the model's image input ("float32" or "float16": converted at the boundary).</summary>
    public string InputType { get; } = "float32";

    /// <summary>Per-image output dimensions when the model states them (null for dynamic axes).</summary>
    public (int Rows, int Cols)? OutputDims { get; }

    /// <summary>Element type of the model's output ("float32" or "float16": converted at the boundary).</summary>
    public string OutputType { get; } = "float32";

    public ModelManifest Manifest { get; }

    /// <summary>The provider actually in use (<see cref="ExecutionProvider.Cpu"/> after a fallback).</summary>
    public ExecutionProvider ExecutionProvider { get; }

    /// <summary>A GPU provider was asked for but cannot run here; running on CPU (<see cref="FallbackReason"/> says why).</summary>
    public bool FellBackToCpu { get; }

    public string? FallbackReason { get; }

    public int MaxBatch { get; }

    public float Confidence { get; }

    /// <summary>Bytes of one planar input frame the ingest stage must deliver (3 × W × H).</summary>
    public int FrameBytes => _preprocessor.FrameBytes;

    /// <summary>
    /// Runs one batch. <paramref name="frames"/>[i] is a planar GBR frame at the model input size whose letterbox
    /// geometry is <paramref name="geometries"/>[i]; detections for it are appended to <paramref name="results"/>[i].
    /// </summary>
    public void Detect(IReadOnlyList<ReadOnlyMemory<byte>> frames, IReadOnlyList<LetterboxGeometry> geometries, IReadOnlyList<List<Detection.Detection>> results)
    {
        var n = frames.Count;
        if (n == 0) return;
        if (n > MaxBatch) throw new ArgumentException($"batch of {n} exceeds {MaxBatch}", nameof(frames));
        var per = _preprocessor.TensorFloats;
        for (var i = 0; i < n; i++) _preprocessor.Fill(frames[i].Span, _input.AsSpan(i * per, per));

        long[] shape = [n, 3, Manifest.Input.Height, Manifest.Input.Width];
        using var input = _inputType == TensorElementType.Float16
            ? Float16Input(_input.AsSpan(0, n * per), shape)
            : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, n * per), shape);
        using var outputs = _session.Run(_runOptions, _inputNames, [input], _outputNames);
        var output = outputs[0];
        var info = output.GetTensorTypeAndShape();
        var outShape = info.Shape;
        if (outShape.Length != 3 || outShape[0] != n)
            throw new InvalidDataException($"{Manifest.Name}: output shape [{string.Join(",", outShape)}] is not [batch, a, b]");
        var rows = (int)outShape[1];
        var cols = (int)outShape[2];
        ReadOnlySpan<float> data;
        if (info.ElementDataType == TensorElementType.Float16)
        {
            // FP16 model: widen the output once here; the decoder only ever sees float32.
            var half = MemoryMarshal.Cast<Float16, Half>(output.GetTensorDataAsSpan<Float16>());
            if (_outputScratch.Length < half.Length) _outputScratch = new float[half.Length];
            TensorPrimitives.ConvertToSingle(half, _outputScratch);
            data = _outputScratch.AsSpan(0, half.Length);
        }
        else data = output.GetTensorDataAsSpan<float>();
        for (var i = 0; i < n; i++)
        {
            _decoder.Decode(data.Slice(i * rows * cols, rows * cols), rows, cols, geometries[i], Confidence, Manifest.Thresholds.Iou, results[i]);
        }
    }

    /// <summary>An FP16 model's input: the normalised float32 tensor narrowed to half precision in an ORT-owned buffer.</summary>
    private static OrtValue Float16Input(ReadOnlySpan<float> values, long[] shape)
    {
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float16, shape);
        try
        {
            TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<Float16, Half>(value.GetTensorMutableDataAsSpan<Float16>()));
            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    private ModelManifestException Mismatch(string field, string detail) => new($"{Manifest.Path}: {field}: {detail}");

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Model {Model}: execution provider {Provider} (GPU {DeviceId}) unavailable, falling back to CPU: {Reason}")]
    private partial void LogProviderFallback(string model, string provider, int deviceId, string reason);
}
