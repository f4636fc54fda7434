using BenchmarkDotNet.Attributes;
using EdgeAi.Worker.Inference;

namespace EdgeAi.Bench.Micro;

/// <summary>
/// YOLOv8 output decode + class-aware NMS for one 640×640 image: 8 400 candidate columns ([4+nc, 8400]), of which
/// about 1 000 pass the confidence threshold, clustered around 60 objects so NMS has real overlaps to suppress.
/// </summary>
[MemoryDiagnoser]
public class DecodeNmsBenchmarks
{
    private const int Candidates = 8400;
    private OutputDecoder _decoder = null!;
    private float[] _output = [];
    private readonly List<Worker.Detection.Detection> _results = new(512);
    private readonly LetterboxGeometry _geometry = LetterboxGeometry.For(1920, 1080, 640, 640);

    /// <summary>Classes: 6 (the bundled demo model) and 80 (a COCO YOLOv8n).</summary>
    [Params(6, 80)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _decoder = new OutputDecoder("yolov8", Enumerable.Range(0, Classes).Select(i => $"c{i}").ToArray());
        _output = Synthetic(Classes, new Random(7));
    }

    [Benchmark]
    public int DecodeAndNms()
    {
        _results.Clear();
        _decoder.Decode(_output, 4 + Classes, Candidates, _geometry, confidence: 0.35f, iou: 0.5f, _results);
        return _results.Count;
    }

    /// <summary>Low background scores everywhere; every 8th column a jittered box around one of 60 objects, above threshold.</summary>
    internal static float[] Synthetic(int classes, Random random)
    {
        var o = new float[(4 + classes) * Candidates];
        var objects = Enumerable.Range(0, 60).Select(_ => (X: 40 + random.NextSingle() * 560, Y: 40 + random.NextSingle() * 560,
            W: 15 + random.NextSingle() * 60, H: 20 + random.NextSingle() * 90, C: random.Next(classes))).ToArray();
        for (var i = 0; i < Candidates; i++)
        {
            for (var c = 0; c < classes; c++) o[(4 + c) * Candidates + i] = random.NextSingle() * 0.2f;
            var obj = objects[i % objects.Length];
            var strong = i % 8 == 0;
            var j = strong ? 4f : 200f;
            o[i] = obj.X + (random.NextSingle() - 0.5f) * j;
            o[Candidates + i] = obj.Y + (random.NextSingle() - 0.5f) * j;
            o[2 * Candidates + i] = obj.W;
            o[3 * Candidates + i] = obj.H;
            if (strong) o[(4 + obj.C) * Candidates + i] = 0.4f + random.NextSingle() * 0.55f;
        }
        return o;
    }
}
