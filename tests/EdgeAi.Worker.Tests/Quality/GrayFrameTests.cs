using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Quality;

namespace EdgeAi.Worker.Tests.Quality;

public sealed class GrayFrameTests
{
    [Fact]
    public void From_LetterboxedFrame_ContentOnlyAveragedToTargetWidth()
    {
        // 8×8 model input, 8×4 content centred (2 rows of padding above and below), padding 114 everywhere else.
        var g = new LetterboxGeometry(8, 8, 8, 4, 0, 2);
        var plane = 64;
        var frame = new byte[3 * plane];
        Array.Fill(frame, (byte)114);
        for (var y = 2; y < 6; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                var i = y * 8 + x;
                var (r, gr, b) = x < 4 ? ((byte)255, (byte)0, (byte)0) : ((byte)0, (byte)0, (byte)255);
                frame[i] = gr;               // plane 0: green
                frame[plane + i] = b;        // plane 1: blue
                frame[2 * plane + i] = r;    // plane 2: red
            }
        }
        using var reducer = new GrayFrame();

        var image = reducer.From(frame, g, targetWidth: 4);

        Assert.Equal((4, 2), (image.Width, image.Height));
        // BT.601 (OpenCV BGR2GRAY): red 0.299 × 255 = 76, blue 0.114 × 255 = 29; no padding grey. The hand-written
        // conversion this replaces gave 77 for red (its integer weights 77/256 = 0.3008); 76 is the standard value.
        Assert.Equal(new byte[] { 76, 76, 29, 29, 76, 76, 29, 29 }, SyntheticImages.Pixels(image));
    }

    [Fact]
    public void From_ShortBuffer_ClearError()
    {
        using var reducer = new GrayFrame();
        var ex = Assert.Throws<ArgumentException>(() => reducer.From(new byte[10], LetterboxGeometry.Identity(4, 4), 4));
        Assert.Contains("expected 48", ex.Message);
    }

    [Fact]
    public void From_FrameSizeChanges_FollowsIt()
    {
        using var reducer = new GrayFrame();

        var small = reducer.From(new byte[3 * 320 * 320], LetterboxGeometry.For(1920, 1080, 320, 320), 160);
        Assert.Equal((160, 90), (small.Width, small.Height));
        var data = small.Data;
        Assert.Same(small, reducer.From(new byte[3 * 320 * 320], LetterboxGeometry.For(1920, 1080, 320, 320), 160));
        Assert.Equal(data, small.Data);   // same size: the same native buffer, nothing allocated per frame
        var large = reducer.From(new byte[3 * 640 * 640], LetterboxGeometry.For(768, 576, 640, 640), 160);
        Assert.Equal((160, 120), (large.Width, large.Height));
    }
}
