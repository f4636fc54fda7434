using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Quality;

namespace EdgeAi.Worker.Tests.Quality;

public sealed class GrayImageTests
{
    [Fact]
    public void FromPlanarGbr_LetterboxedFrame_ContentOnlyAveragedToTargetWidth()
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

        var image = GrayImage.FromPlanarGbr(frame, g, targetWidth: 4);

        Assert.Equal((4, 2), (image.Width, image.Height));
        Assert.Equal(new byte[] { 77, 77, 29, 29, 77, 77, 29, 29 }, image.Pixels);   // BT.601: red 0.30, blue 0.11; no padding grey
    }

    [Fact]
    public void FromPlanarGbr_ShortBuffer_ClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => GrayImage.FromPlanarGbr(new byte[10], LetterboxGeometry.Identity(4, 4), 4));
        Assert.Contains("expected 48", ex.Message);
    }
}
