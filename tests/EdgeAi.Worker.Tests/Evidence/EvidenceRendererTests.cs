using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Evidence;
using OpenCvSharp;
using static EdgeAi.Worker.Tests.Evidence.EvidenceKit;

namespace EdgeAi.Worker.Tests.Evidence;

public sealed class EvidenceRendererTests
{
    private const int W = 200, H = 100;

    private static bool PixelEquals(Mat a, Mat b, int x, int y) => a.At<Vec3b>(y, x) == b.At<Vec3b>(y, x);

    private static byte[] Pixel(Mat image, int x, int y)
    {
        var p = image.At<Vec3b>(y, x);
        return [p.Item0, p.Item1, p.Item2];
    }

    [Fact]
    public void BlurPersons_ChangesPersonPixels_LeavesOthers()
    {
        using var original = NoiseMat(W, H);
        using var canvas = original.Clone();
        using var renderer = new EvidenceRenderer();
        // Person at pixels x 40..80, y 20..80; a litter box at x 120..160 is not blurred.
        var person = Obj(1, "person", new BoxF(0.2f, 0.2f, 0.4f, 0.8f));
        var litter = Obj(2, "litter", new BoxF(0.6f, 0.2f, 0.8f, 0.8f));

        renderer.BlurPersons(canvas, [person, litter]);

        int inside = 0, changed = 0;
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                var same = PixelEquals(original, canvas, x, y);
                if (x is >= 40 and < 80 && y is >= 20 and < 80)
                {
                    inside++;
                    if (!same) changed++;
                }
                else Assert.True(same, $"pixel ({x},{y}) outside the person box changed");
            }
        Assert.True(changed > inside * 0.95, $"only {changed} of {inside} person pixels changed");
    }

    [Fact]
    public void BlurClasses_FaceAndPlateBlurredOnlyWhenListed()
    {
        using var original = NoiseMat(W, H);
        var face = Obj(1, "face", new BoxF(0.2f, 0.2f, 0.4f, 0.8f));
        var plate = Obj(2, "license_plate", new BoxF(0.6f, 0.2f, 0.8f, 0.8f));

        using var byDefault = original.Clone();
        using (var renderer = new EvidenceRenderer()) renderer.BlurPersons(byDefault, [face, plate]);
        Assert.True(PixelEquals(original, byDefault, 60, 50) && PixelEquals(original, byDefault, 140, 50), "persons only by default");

        using var listed = original.Clone();
        using (var renderer = new EvidenceRenderer(new EvidenceOptions { PersonClasses = ["person", "face", "license_plate"] })) renderer.BlurPersons(listed, [face, plate]);
        Assert.False(PixelEquals(original, listed, 60, 50), "face not blurred");
        Assert.False(PixelEquals(original, listed, 140, 50), "plate not blurred");
        Assert.True(PixelEquals(original, listed, 100, 50), "between the boxes changed");
    }

    [Fact]
    public void BlurPersons_ReducesDetail()
    {
        using var canvas = NoiseMat(W, H);
        using var renderer = new EvidenceRenderer();

        renderer.BlurPersons(canvas, [Obj(1, "person", new BoxF(0.2f, 0.2f, 0.4f, 0.8f))]);

        // Neighbouring pixels of noise differ by ~85 on average; after the blur by a few levels.
        double diff = 0;
        var n = 0;
        for (var y = 25; y < 75; y++)
            for (var x = 45; x < 74; x++, n++)
                diff += Math.Abs(canvas.At<Vec3b>(y, x).Item0 - canvas.At<Vec3b>(y, x + 1).Item0);
        Assert.True(diff / n < 10, $"mean neighbour difference {diff / n}");
    }

    [Fact]
    public void Annotate_ZoneOnFrameBorderAndBoxesBeyondFrame_StaysInBoundsAndClips()
    {
        using var canvas = new Mat(H, W, MatType.CV_8UC3, Scalar.Black);
        using var renderer = new EvidenceRenderer(new EvidenceOptions { LineThickness = 5 });
        var episode = Episode([Obj(1, "litter", new BoxF(-0.5f, -0.5f, 1.5f, 1.5f)), Obj(2, "litter", new BoxF(0.9f, 0.9f, 1.2f, 1.3f))],
            blur: false, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]]);

        renderer.Annotate(canvas, episode);

        // The clamped box covers the whole frame: its stroke (drawn after the zone) owns the corners (colours are BGR).
        Assert.Equal([30, 30, 230], Pixel(canvas, 0, 0));
        Assert.Equal([30, 30, 230], Pixel(canvas, W - 1, H - 1));
        Assert.Equal([0, 0, 0], Pixel(canvas, 100, 50));   // the middle stays untouched
    }

    [Fact]
    public void Annotate_DrawsZoneOutline()
    {
        using var canvas = new Mat(H, W, MatType.CV_8UC3, Scalar.Black);
        using var renderer = new EvidenceRenderer(new EvidenceOptions { LineThickness = 1 });

        renderer.Annotate(canvas, Episode([], blur: false));

        // Zone corners (0.1, 0.1) → pixel (20, 10) with size-1 scaling: round(0.1 * 199) = 20, round(0.1 * 99) = 10. Yellow in BGR.
        Assert.Equal([0, 210, 255], Pixel(canvas, 20, 10));
        Assert.Equal([0, 210, 255], Pixel(canvas, 100, 10));
        Assert.Equal([0, 0, 0], Pixel(canvas, 100, 50));
    }

    [Fact]
    public void Annotate_ObjectLabel_ClassAndConfidenceOnFilledBackgroundAboveTheBox()
    {
        using var canvas = new Mat(H, W, MatType.CV_8UC3, Scalar.Black);
        using var plain = new Mat(H, W, MatType.CV_8UC3, Scalar.Black);
        using var renderer = new EvidenceRenderer(new EvidenceOptions { LineThickness = 2 });
        using var unlabelled = new EvidenceRenderer(new EvidenceOptions { LineThickness = 2, Labels = false });
        var episode = Episode([Obj(1, "litter", new BoxF(0.3f, 0.5f, 0.6f, 0.9f), conf: 0.87f)], blur: false, polygon: [[0, 0.99], [0.01, 0.99]]);

        renderer.Annotate(canvas, episode);
        unlabelled.Annotate(plain, episode);

        // Box top-left (60, 50). The label sits above it: a filled band in the object colour with white text in it.
        int red = 0, white = 0, other = 0, maxX = 0, minY = H;
        for (var y = 0; y < 50; y++)
            for (var x = 0; x < W; x++)
            {
                var p = Pixel(canvas, x, y);
                if (p is [0, 0, 0]) continue;
                if (p is [30, 30, 230]) red++;
                else if (p[0] > 200 && p[1] > 200 && p[2] > 200) white++;
                else other++;   // anti-aliased text edges
                maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y);
                Assert.True(x >= 60, $"label pixel at ({x},{y}) left of the box");
            }
        Assert.True(red > 200, $"background pixels {red}");
        Assert.True(white > 20, $"text pixels {white}");
        Assert.InRange(50 - minY, 8, 30);                 // a readable height at a 100-pixel-high image, not a giant banner
        Assert.InRange(maxX - 60, 40, 120);               // "litter 0.87" is wider than a single word
        for (var y = 50; y < H; y++)                      // below the label, the labelled and unlabelled drawings agree
            for (var x = 0; x < W; x++)
                Assert.True(PixelEquals(canvas, plain, x, y), $"({x},{y}) differs below the label");
    }

    [Fact]
    public void Annotate_ObjectAtTopRightCorner_LabelInsideTheBoxAndTheImage()
    {
        using var canvas = new Mat(H, W, MatType.CV_8UC3, Scalar.Black);
        using var renderer = new EvidenceRenderer(new EvidenceOptions { LineThickness = 2 });

        renderer.Annotate(canvas, Episode([Obj(1, "person", new BoxF(0.9f, 0.0f, 1.0f, 0.5f), conf: 0.5f)], blur: false, polygon: [[0, 0.99], [0.01, 0.99]]));

        // No room above: the band starts at the box's top, shifted left so its text is not cut off by the right edge.
        Assert.Equal([30, 30, 230], Pixel(canvas, W - 1, 1));
        var leftmost = Enumerable.Range(0, W).First(x => !Pixel(canvas, x, 1).SequenceEqual(new byte[] { 0, 0, 0 }));
        Assert.True(leftmost < 180, $"label band starts at x {leftmost}: it was not moved inside the image");
    }

    [Fact]
    public void Render_ProducesDecodableSnapshotAndCrop_InputUntouched()
    {
        var frame = Noise(W, H);
        var copy = (byte[])frame.Clone();
        using var renderer = new EvidenceRenderer(new EvidenceOptions { MinCropSize = 48 });
        var episode = Episode([Obj(1, "person", new BoxF(0.45f, 0.4f, 0.5f, 0.6f)), Obj(2, "person", new BoxF(0.55f, 0.45f, 0.6f, 0.65f))], blur: true);

        var images = renderer.Render(frame, W, H, episode);

        Assert.Equal(copy, frame);
        using var snapshot = Cv2.ImDecode(images.Snapshot, ImreadModes.Color);
        Assert.Equal((W, H), (snapshot.Width, snapshot.Height));
        Assert.NotNull(images.Crop);
        using var crop = Cv2.ImDecode(images.Crop, ImreadModes.Color);
        Assert.InRange(crop.Width, 48, W);
        Assert.InRange(crop.Height, 48, H);
    }

    [Fact]
    public void Render_RgbFrame_JpegKeepsTheColours()
    {
        var frame = new byte[W * H * 3];
        for (var i = 0; i < frame.Length; i += 3) (frame[i], frame[i + 1], frame[i + 2]) = ((byte)200, (byte)40, (byte)10);   // RGB: red-orange
        using var renderer = new EvidenceRenderer(new EvidenceOptions { SnapshotQuality = 95, Crop = false });

        using var snapshot = Cv2.ImDecode(renderer.Render(frame, W, H, Episode([], blur: false, polygon: [[0, 0], [0.01, 0]])).Snapshot, ImreadModes.Color);

        var p = snapshot.At<Vec3b>(50, 100);   // BGR
        Assert.InRange(p.Item2, 190, 210);
        Assert.InRange(p.Item1, 30, 50);
        Assert.InRange(p.Item0, 0, 20);
    }

    [Fact]
    public void Render_BlurOn_PersonRegionDiffersFromUnblurred()
    {
        var frame = Noise(W, H);
        using var renderer = new EvidenceRenderer(new EvidenceOptions { SnapshotQuality = 100, Crop = false });
        var person = Obj(1, "person", new BoxF(0.2f, 0.2f, 0.4f, 0.8f));

        using var blurred = Cv2.ImDecode(renderer.Render(frame, W, H, Episode([], blur: true), [person]).Snapshot, ImreadModes.Color);
        using var plain = Cv2.ImDecode(renderer.Render(frame, W, H, Episode([], blur: false), [person]).Snapshot, ImreadModes.Color);

        Assert.Null(renderer.Render(frame, W, H, Episode([], blur: false)).Crop);
        double inDiff = 0, outDiff = 0;
        for (var y = 25; y < 75; y++)
        {
            for (var x = 45; x < 75; x++) inDiff += Math.Abs(blurred.At<Vec3b>(y, x).Item0 - plain.At<Vec3b>(y, x).Item0);
            for (var x = 125; x < 155; x++) outDiff += Math.Abs(blurred.At<Vec3b>(y, x).Item0 - plain.At<Vec3b>(y, x).Item0);
        }
        Assert.True(inDiff > 20 * outDiff + 1000, $"inside {inDiff}, outside {outDiff}");
    }

    [Fact]
    public void CropRect_SmallObjectAtCorner_KeepsMinimumSizeInsideFrame()
    {
        using var renderer = new EvidenceRenderer(new EvidenceOptions { MinCropSize = 64 });

        var (x, y, w, h) = renderer.CropRect([Obj(1, "litter", new BoxF(0.98f, 0.97f, 1.0f, 1.0f))], W, H);

        Assert.Equal((64, 64), (w, h));
        Assert.Equal((W - 64, H - 64), (x, y));
    }

    [Fact]
    public void CropRect_UnionOfObjectsWithMargin()
    {
        using var renderer = new EvidenceRenderer(new EvidenceOptions { MinCropSize = 1, CropMargin = 0.5 });

        var rect = renderer.CropRect([Obj(1, "person", new BoxF(0.3f, 0.4f, 0.4f, 0.6f)), Obj(2, "person", new BoxF(0.5f, 0.4f, 0.6f, 0.6f))], W, H);

        // Union x 60..120, y 40..60; margin 0.5 → x 30..150, y 30..70.
        Assert.Equal((30, 30, 120, 40), rect);
    }

    [Fact]
    public void Options_Invalid_Throws()
    {
        Assert.Throws<ArgumentException>(() => new EvidenceRenderer(new EvidenceOptions { SnapshotQuality = 0, MinCropSize = 0 }));
        Assert.Equal(2, new EvidenceOptions { SnapshotQuality = 0, MinCropSize = 0 }.Validate().Count);
    }
}
