using System.Numerics.Tensors;
using EdgeAi.Worker.Detection;

namespace EdgeAi.Worker.Inference;

/// <summary>
/// Decodes raw detector output for one image into candidate boxes above the confidence threshold, for the layouts in
/// <see cref="ModelManifestLoader.Layouts"/>, applies class-aware NMS where the model has none inside, and maps boxes to
/// normalised source coordinates. Not thread-safe (reuses scratch buffers); one instance per inference stage.
/// </summary>
public sealed class OutputDecoder
{
    private readonly string _layout;
    private readonly IReadOnlyList<string> _labels;
    private readonly int _inputWidth;
    private readonly int _inputHeight;
    private readonly int[] _strides;
    private readonly List<Candidate> _candidates = new(1024);
    private float[] _best = [];
    private (float Gx, float Gy, float Stride)[]? _grid;

    /// <param name="inputWidth">Model input width: needed by yolox (grid) and rtdetr (0..1 boxes).</param>
    /// <param name="strides">yolox: feature strides in output order (default 8, 16, 32).</param>
    public OutputDecoder(string layout, IReadOnlyList<string> labels, int maxDetections = 300, int inputWidth = 0, int inputHeight = 0, int[]? strides = null)
    {
        if (!ModelManifestLoader.Layouts.Contains(layout)) throw new ArgumentException($"unknown output layout '{layout}'", nameof(layout));
        if (layout is "yolox" or "rtdetr" && (inputWidth <= 0 || inputHeight <= 0))
            throw new ArgumentException($"the {layout} layout needs the model input size", nameof(inputWidth));
        _layout = layout;
        _labels = labels;
        _inputWidth = inputWidth;
        _inputHeight = inputHeight;
        _strides = strides ?? [8, 16, 32];
        MaxDetections = maxDetections;
    }

    public OutputDecoder(ModelManifest manifest)
        : this(manifest.Output.Layout, manifest.Labels, 300, manifest.Input.Width, manifest.Input.Height, manifest.Output.Strides)
    {
    }

    public int MaxDetections { get; }

    /// <summary>Whether the model does its own suppression (end2end, rtdetr): then ours is skipped.</summary>
    public bool NmsInModel => _layout is "end2end" or "rtdetr";

    internal readonly record struct Candidate(int ClassId, float Score, float X1, float Y1, float X2, float Y2);

    /// <summary>
    /// Why a per-image output of <paramref name="rows"/>×<paramref name="cols"/> cannot be this layout for
    /// <paramref name="labelCount"/> labels, or null when it can. Used by <c>models verify</c> before anything runs.
    /// </summary>
    public string? ShapeProblem(int rows, int cols, int labelCount)
    {
        switch (_layout)
        {
            case "yolov8":
                if (rows < 5) return $"yolov8 output is [4+classes, anchors]; [{rows},{cols}] has {rows} rows";
                if (cols < rows) return $"[{rows},{cols}] looks transposed for yolov8 ([4+classes, anchors]); is it yolov5/yolox ([anchors, 5+classes])?";
                if (rows - 4 != labelCount) return $"yolov8 output has {rows - 4} classes ([{rows},{cols}]), the manifest lists {labelCount} labels";
                return null;
            case "yolov5" or "yolox":
                if (cols < 6) return $"{_layout} output is [anchors, 5+classes]; [{rows},{cols}] has {cols} columns";
                if (cols - 5 != labelCount) return $"{_layout} output has {cols - 5} classes ([{rows},{cols}]), the manifest lists {labelCount} labels";
                if (_layout == "yolox" && GridPoints() != rows)
                    return $"yolox output has {rows} anchor points; strides {string.Join(", ", _strides)} over {_inputWidth}x{_inputHeight} give {GridPoints()}";
                return null;
            case "end2end":
                return cols == 6 ? null : $"end2end output is [detections, 6] (x1, y1, x2, y2, score, class); got [{rows},{cols}]";
            default:
                if (cols < 5) return $"rtdetr output is [queries, 4+classes]; [{rows},{cols}] has {cols} columns";
                return cols - 4 != labelCount ? $"rtdetr output has {cols - 4} classes ([{rows},{cols}]), the manifest lists {labelCount} labels" : null;
        }
    }

    private int GridPoints() => _strides.Sum(s => (_inputWidth / s) * (_inputHeight / s));

    /// <summary>
    /// Decodes one image's output. <paramref name="output"/> is that image's slice; <paramref name="rows"/>×<paramref name="cols"/>
    /// are the per-image dimensions (yolov8: [4+nc, N]; yolov5/yolox: [N, 5+nc]; end2end: [N, 6]; rtdetr: [Q, 4+nc]).
    /// Appends to <paramref name="results"/>.
    /// </summary>
    public void Decode(ReadOnlySpan<float> output, int rows, int cols, in LetterboxGeometry geometry,
        float confidence, float iou, List<Detection.Detection> results)
    {
        _candidates.Clear();
        switch (_layout)
        {
            case "yolov8": DecodeYoloV8(output, rows, cols, confidence); break;
            case "yolov5": DecodeYoloV5(output, rows, cols, confidence); break;
            case "yolox": DecodeYoloX(output, rows, cols, confidence); break;
            case "rtdetr": DecodeRtDetr(output, rows, cols, confidence); break;
            default: DecodeEnd2End(output, rows, cols, confidence); break;
        }
        if (NmsInModel)
        {
            _candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
            if (_candidates.Count > MaxDetections) _candidates.RemoveRange(MaxDetections, _candidates.Count - MaxDetections);
        }
        else Nms.Apply(_candidates, iou, MaxDetections);
        foreach (var c in _candidates)
        {
            var label = c.ClassId < _labels.Count ? _labels[c.ClassId] : $"class{c.ClassId}";
            results.Add(new Detection.Detection(c.ClassId, label, c.Score, geometry.ToSource(c.X1, c.Y1, c.X2, c.Y2)));
        }
    }

    /// <summary>[4+nc, N]: rows 0-3 cx, cy, w, h in input pixels; rows 4.. class scores. Best class per column via vector max.</summary>
    private void DecodeYoloV8(ReadOnlySpan<float> o, int rows, int n, float confidence)
    {
        var nc = rows - 4;
        if (nc < 1) throw new InvalidDataException($"yolov8 output needs at least 5 rows, got {rows}");
        if (_best.Length < n) _best = new float[n];
        var best = _best.AsSpan(0, n);
        o.Slice(4 * n, n).CopyTo(best);
        for (var c = 1; c < nc; c++) TensorPrimitives.Max(best, o.Slice((4 + c) * n, n), best);

        for (var i = 0; i < n; i++)
        {
            if (best[i] < confidence) continue;
            var cls = 0;
            for (var c = 0; c < nc; c++)
            {
                if (o[(4 + c) * n + i] == best[i]) { cls = c; break; }
            }
            AddCenter(cls, best[i], o[i], o[n + i], o[2 * n + i], o[3 * n + i]);
        }
    }

    /// <summary>[N, 5+nc]: cx, cy, w, h, objectness, class scores; score = objectness × class score.</summary>
    private void DecodeYoloV5(ReadOnlySpan<float> o, int n, int cols, float confidence)
    {
        var nc = cols - 5;
        if (nc < 1) throw new InvalidDataException($"yolov5 output needs at least 6 columns, got {cols}");
        for (var i = 0; i < n; i++)
        {
            var row = o.Slice(i * cols, cols);
            var obj = row[4];
            if (obj < confidence) continue;
            var scores = row[5..];
            var cls = TensorPrimitives.IndexOfMax(scores);
            var score = obj * scores[cls];
            if (score >= confidence) AddCenter(cls, score, row[0], row[1], row[2], row[3]);
        }
    }

    /// <summary>
    /// YOLOX raw head output [N, 5+nc], one row per grid point (strides in order, row-major within each grid):
    /// cx = (x + gx)·s, cy = (y + gy)·s, w = e^w·s, h = e^h·s; score = objectness × class score (both already sigmoid).
    /// </summary>
    private void DecodeYoloX(ReadOnlySpan<float> o, int n, int cols, float confidence)
    {
        var nc = cols - 5;
        if (nc < 1) throw new InvalidDataException($"yolox output needs at least 6 columns, got {cols}");
        var grid = _grid ??= BuildGrid();
        if (grid.Length != n) throw new InvalidDataException($"yolox output has {n} anchor points, the strides give {grid.Length}");
        for (var i = 0; i < n; i++)
        {
            var row = o.Slice(i * cols, cols);
            var obj = row[4];
            if (obj < confidence) continue;
            var scores = row[5..];
            var cls = TensorPrimitives.IndexOfMax(scores);
            var score = obj * scores[cls];
            if (score < confidence) continue;
            var (gx, gy, s) = grid[i];
            AddCenter(cls, score, (row[0] + gx) * s, (row[1] + gy) * s, MathF.Exp(row[2]) * s, MathF.Exp(row[3]) * s);
        }
    }

    private (float, float, float)[] BuildGrid()
    {
        var grid = new (float, float, float)[GridPoints()];
        var k = 0;
        foreach (var s in _strides)
        {
            int gw = _inputWidth / s, gh = _inputHeight / s;
            for (var y = 0; y < gh; y++)
                for (var x = 0; x < gw; x++) grid[k++] = (x, y, s);
        }
        return grid;
    }

    /// <summary>[N, 6]: x1, y1, x2, y2, score, class (NMS done by the model).</summary>
    private void DecodeEnd2End(ReadOnlySpan<float> o, int n, int cols, float confidence)
    {
        if (cols < 6) throw new InvalidDataException($"end2end output needs 6 columns, got {cols}");
        for (var i = 0; i < n; i++)
        {
            var row = o.Slice(i * cols, cols);
            if (row[4] >= confidence) _candidates.Add(new Candidate((int)row[5], row[4], row[0], row[1], row[2], row[3]));
        }
    }

    /// <summary>RT-DETR (Ultralytics export) [Q, 4+nc]: cx, cy, w, h as 0..1 of the input, then class scores (sigmoid); one box per query, no NMS.</summary>
    private void DecodeRtDetr(ReadOnlySpan<float> o, int q, int cols, float confidence)
    {
        if (cols < 5) throw new InvalidDataException($"rtdetr output needs at least 5 columns, got {cols}");
        for (var i = 0; i < q; i++)
        {
            var row = o.Slice(i * cols, cols);
            var scores = row[4..];
            var cls = TensorPrimitives.IndexOfMax(scores);
            if (scores[cls] < confidence) continue;
            AddCenter(cls, scores[cls], row[0] * _inputWidth, row[1] * _inputHeight, row[2] * _inputWidth, row[3] * _inputHeight);
        }
    }

    private void AddCenter(int cls, float score, float cx, float cy, float w, float h) =>
        _candidates.Add(new Candidate(cls, score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
}
