using System.Numerics.Tensors;
using EdgeAi.Worker.Detection;

namespace EdgeAi.Worker.Inference;

/// <summary>
/// Decodes raw detector output for one image into candidate boxes above the confidence threshold, for the
/// three layouts in DESIGN.md §4, then applies class-aware NMS and maps boxes to normalised source coordinates.
/// Not thread-safe (reuses scratch buffers); one instance per inference stage.
/// </summary>
public sealed class OutputDecoder
{
    private readonly string _layout;
    private readonly IReadOnlyList<string> _labels;
    private readonly List<Candidate> _candidates = new(1024);
    private float[] _best = [];

    public OutputDecoder(string layout, IReadOnlyList<string> labels, int maxDetections = 300)
    {
        if (!ModelManifestLoader.Layouts.Contains(layout)) throw new ArgumentException($"unknown output layout '{layout}'", nameof(layout));
        _layout = layout;
        _labels = labels;
        MaxDetections = maxDetections;
    }

    public int MaxDetections { get; }

    internal readonly record struct Candidate(int ClassId, float Score, float X1, float Y1, float X2, float Y2);

    /// <summary>
    /// Decodes one image's output. <paramref name="output"/> is that image's slice; <paramref name="dims"/> are
    /// the per-image dimensions (yolov8: [4+nc, N]; yolov5: [N, 5+nc]; end2end: [N, 6]). Appends to <paramref name="results"/>.
    /// </summary>
    public void Decode(ReadOnlySpan<float> output, int rows, int cols, in LetterboxGeometry geometry,
        float confidence, float iou, List<Detection.Detection> results)
    {
        _candidates.Clear();
        switch (_layout)
        {
            case "yolov8": DecodeYoloV8(output, rows, cols, confidence); break;
            case "yolov5": DecodeYoloV5(output, rows, cols, confidence); break;
            default: DecodeEnd2End(output, rows, cols, confidence); break;
        }
        Nms.Apply(_candidates, iou, MaxDetections);
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

    /// <summary>[N, 6]: x1, y1, x2, y2, score, class (NMS already done by the model; ours is then a no-op).</summary>
    private void DecodeEnd2End(ReadOnlySpan<float> o, int n, int cols, float confidence)
    {
        if (cols < 6) throw new InvalidDataException($"end2end output needs 6 columns, got {cols}");
        for (var i = 0; i < n; i++)
        {
            var row = o.Slice(i * cols, cols);
            if (row[4] >= confidence) _candidates.Add(new Candidate((int)row[5], row[4], row[0], row[1], row[2], row[3]));
        }
    }

    private void AddCenter(int cls, float score, float cx, float cy, float w, float h) =>
        _candidates.Add(new Candidate(cls, score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
}
