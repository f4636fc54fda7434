using EdgeAi.Interop.Jpeg;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Evidence;
using static EdgeAi.Worker.Tests.Evidence.EvidenceKit;

namespace EdgeAi.Worker.Tests.Evidence;

public sealed class EvidenceRendererTests
{
    private const int W = 200, H = 100;

    private static bool PixelEquals(byte[] a, byte[] b, int x, int y)
    {
        var o = (y * W + x) * 3;
        return a[o] == b[o] && a[o + 1] == b[o + 1] && a[o + 2] == b[o + 2];
    }

    [Fact]
    public void BlurPersons_ChangesPersonPixels_LeavesOthers()
    {
        var original = Noise(W, H);
        var canvas = (byte[])original.Clone();
        using var renderer = new EvidenceRenderer();
        // Person at pixels x 40..80, y 20..80; a litter box at x 120..160 is not blurred.
        var person = Obj(1, "person", new BoxF(0.2f, 0.2f, 0.4f, 0.8f));
        var litter = Obj(2, "litter", new BoxF(0.6f, 0.2f, 0.8f, 0.8f));

        renderer.BlurPersons(canvas, W, H, [person, litter]);

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
    public void BlurPersons_ReducesDetail()
    {
        var canvas = Noise(W, H);
        using var renderer = new EvidenceRenderer();

        renderer.BlurPersons(canvas, W, H, [Obj(1, "person", new BoxF(0.2f, 0.2f, 0.4f, 0.8f))]);

        // Neighbouring pixels of noise differ by ~85 on average; after the blur by a few levels.
        double diff = 0;
        var n = 0;
        for (var y = 25; y < 75; y++)
            for (var x = 45; x < 74; x++, n++)
                diff += Math.Abs(canvas[(y * W + x) * 3] - canvas[(y * W + x + 1) * 3]);
        Assert.True(diff / n < 10, $"mean neighbour difference {diff / n}");
    }

    [Fact]
    public void Annotate_ZoneOnFrameBorderAndBoxesBeyondFrame_StaysInBoundsAndClips()
    {
        var canvas = new byte[W * H * 3];
        using var renderer = new EvidenceRenderer(new EvidenceOptions { LineThickness = 5 });
        var episode = Episode([Obj(1, "litter", new BoxF(-0.5f, -0.5f, 1.5f, 1.5f)), Obj(2, "litter", new BoxF(0.9f, 0.9f, 1.2f, 1.3f))],
            blur: false, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]]);

        renderer.Annotate(canvas, W, H, episode);

        // The clamped box covers the whole frame: its stroke (drawn after the zone) owns the corners.
        Assert.Equal([230, 30, 30], canvas[..3]);
        Assert.Equal([230, 30, 30], canvas[^3..]);
        Assert.Equal(0, canvas[(50 * W + 100) * 3]);   // the middle stays untouched
    }

    [Fact]
    public void Annotate_DrawsZoneOutline()
    {
        var canvas = new byte[W * H * 3];
        using var renderer = new EvidenceRenderer(new EvidenceOptions { LineThickness = 1 });

        renderer.Annotate(canvas, W, H, Episode([], blur: false));

        // Zone corners (0.1, 0.1) → pixel (20, 10) with size-1 scaling: round(0.1 * 199) = 20, round(0.1 * 99) = 10.
        Assert.Equal([255, 210, 0], canvas.AsSpan((10 * W + 20) * 3, 3).ToArray());
        Assert.Equal([255, 210, 0], canvas.AsSpan((10 * W + 100) * 3, 3).ToArray());
        Assert.Equal([0, 0, 0], canvas.AsSpan((50 * W + 100) * 3, 3).ToArray());
    }

    [Fact]
    public void DrawLine_FarOutsideEndpoints_DoesNotThrow()
    {
        var canvas = new byte[W * H * 3];
        RgbCanvas.DrawLine(canvas, W, H, -100000, -5000, 100000, 5000, Rgb.Cyan, 7);
        RgbCanvas.DrawLine(canvas, W, H, W - 1, H - 1, W - 1, H - 1, Rgb.Cyan, 9);
        RgbCanvas.StrokeRect(canvas, W, H, 190, 90, 500, 500, Rgb.Cyan, 20);
        RgbCanvas.BoxBlur(canvas, W, H, -10, -10, 500, 500, 3, 2, new byte[W * 3]);
        Assert.Equal(Rgb.Cyan.R, canvas[(50 * W + 100) * 3]);   // the long line passes the centre
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
        using var jpeg = new JpegCodec();
        Assert.Equal((W, H), jpeg.ReadSize(images.Snapshot));
        Assert.NotNull(images.Crop);
        var (cw, ch) = jpeg.ReadSize(images.Crop);
        Assert.InRange(cw, 48, W);
        Assert.InRange(ch, 48, H);
    }

    [Fact]
    public void Render_BlurOn_PersonRegionDiffersFromUnblurred()
    {
        var frame = Noise(W, H);
        using var renderer = new EvidenceRenderer(new EvidenceOptions { SnapshotQuality = 100, Crop = false });
        var person = Obj(1, "person", new BoxF(0.2f, 0.2f, 0.4f, 0.8f));
        using var jpeg = new JpegCodec();

        var blurred = jpeg.DecodeRgb(renderer.Render(frame, W, H, Episode([], blur: true), [person]).Snapshot, out _, out _);
        var plain = jpeg.DecodeRgb(renderer.Render(frame, W, H, Episode([], blur: false), [person]).Snapshot, out _, out _);

        Assert.Null(renderer.Render(frame, W, H, Episode([], blur: false)).Crop);
        double inDiff = 0, outDiff = 0;
        for (var y = 25; y < 75; y++)
        {
            for (var x = 45; x < 75; x++) inDiff += Math.Abs(blurred[(y * W + x) * 3] - plain[(y * W + x) * 3]);
            for (var x = 125; x < 155; x++) outDiff += Math.Abs(blurred[(y * W + x) * 3] - plain[(y * W + x) * 3]);
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
