using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Tests.Inference;

/// <summary>Each output layout decoded from a hand-built tensor with known boxes.</summary>
public sealed class OutputDecoderTests
{
    private static readonly string[] Labels = ["person", "litter", "boat"];
    private static readonly LetterboxGeometry Square = LetterboxGeometry.Identity(100, 100);

    [Fact]
    public void Decode_YoloV8_BestClassPerColumnAboveThreshold()
    {
        // [4+3, N=3]: column 0 = person at (50,50) 20x40, 0.9; column 1 = litter 0.2 (below); column 2 = boat 0.7.
        float[][] rows =
        [
            [50, 10, 80], [50, 10, 20], [20, 4, 10], [40, 4, 10],   // cx, cy, w, h
            [0.9f, 0.1f, 0.05f], [0.1f, 0.2f, 0.3f], [0.2f, 0.1f, 0.7f],
        ];
        var data = rows.SelectMany(r => r).ToArray();
        var results = new List<Detection.Detection>();

        new OutputDecoder("yolov8", Labels).Decode(data, 7, 3, Square, 0.5f, 0.5f, results);

        Assert.Equal(2, results.Count);
        var person = results.Single(d => d.Label == "person");
        Assert.Equal(0.9f, person.Confidence);
        Assert.Equal(new Detection.BoxF(0.40f, 0.30f, 0.60f, 0.70f), Round(person.Box));
        var boat = results.Single(d => d.Label == "boat");
        Assert.Equal(2, boat.ClassId);
        Assert.Equal(new Detection.BoxF(0.75f, 0.15f, 0.85f, 0.25f), Round(boat.Box));
    }

    [Fact]
    public void Decode_YoloV5_ScoreIsObjectnessTimesClass()
    {
        // [N=2, 5+3]: row 0 obj 0.9 × litter 0.8 = 0.72; row 1 obj 0.4 (below threshold).
        float[] data =
        [
            30, 30, 10, 10, 0.9f, 0.1f, 0.8f, 0.1f,
            70, 70, 10, 10, 0.4f, 0.9f, 0.1f, 0.1f,
        ];
        var results = new List<Detection.Detection>();

        new OutputDecoder("yolov5", Labels).Decode(data, 2, 8, Square, 0.5f, 0.5f, results);

        var d = Assert.Single(results);
        Assert.Equal("litter", d.Label);
        Assert.Equal(0.72f, d.Confidence, 3);
        Assert.Equal(new Detection.BoxF(0.25f, 0.25f, 0.35f, 0.35f), Round(d.Box));
    }

    [Fact]
    public void Decode_End2End_CornersScoreClass()
    {
        float[] data = [10, 20, 30, 60, 0.8f, 2, 0, 0, 5, 5, 0.1f, 0];
        var results = new List<Detection.Detection>();

        new OutputDecoder("end2end", Labels).Decode(data, 2, 6, Square, 0.5f, 0.5f, results);

        var d = Assert.Single(results);
        Assert.Equal("boat", d.Label);
        Assert.Equal(new Detection.BoxF(0.1f, 0.2f, 0.3f, 0.6f), Round(d.Box));
    }

    [Fact]
    public void Decode_Letterboxed_MapsBackToSourceCoordinates()
    {
        // 1920x1080 into 320x320: content 320x180 at y offset 70. A box covering the content maps to the whole frame.
        var g = LetterboxGeometry.For(1920, 1080, 320, 320);
        Assert.Equal((320, 180, 0, 70), (g.ContentWidth, g.ContentHeight, g.PadX, g.PadY));
        float[] data = [0, 70, 320, 250, 0.9f, 0];
        var results = new List<Detection.Detection>();

        new OutputDecoder("end2end", Labels).Decode(data, 1, 6, g, 0.5f, 0.5f, results);

        Assert.Equal(new Detection.BoxF(0, 0, 1, 1), Round(Assert.Single(results).Box));
    }

    [Fact]
    public void Nms_OverlappingSameClass_KeepsHighest_OtherClassKept()
    {
        // three candidates: two overlapping persons (IoU ~0.68) and a boat on the same spot.
        float[] data =
        [
            50, 52, 50,   // cx
            50, 50, 50,   // cy
            20, 20, 20,   // w
            20, 20, 20,   // h
            0.9f, 0.8f, 0.0f,
            0.0f, 0.0f, 0.0f,
            0.0f, 0.0f, 0.7f,
        ];
        var results = new List<Detection.Detection>();

        new OutputDecoder("yolov8", Labels).Decode(data, 7, 3, Square, 0.5f, 0.5f, results);

        Assert.Equal(2, results.Count);
        Assert.Equal(0.9f, results.Single(d => d.Label == "person").Confidence);
        Assert.Single(results, d => d.Label == "boat");
    }

    [Fact]
    public void Nms_DisjointSameClass_KeepsBoth()
    {
        float[] data = [10, 0, 20, 20, 0.9f, 0, 60, 60, 80, 80, 0.8f, 0];
        var results = new List<Detection.Detection>();

        new OutputDecoder("end2end", Labels).Decode(data, 2, 6, Square, 0.5f, 0.5f, results);

        Assert.Equal(2, results.Count);
    }

    private static Detection.BoxF Round(Detection.BoxF b) =>
        new(MathF.Round(b.X1, 3), MathF.Round(b.Y1, 3), MathF.Round(b.X2, 3), MathF.Round(b.Y2, 3));
}
