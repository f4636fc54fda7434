using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Ingest;

/// <summary>Pixel conversions needed off the hot path (evidence, quality checks).</summary>
public static class FramePixels
{
    /// <summary>
    /// Packs the letterbox content region of a planar GBR frame into RGB24 (padding removed), so the image
    /// has the source's aspect ratio and normalised boxes map onto it directly. Used only when evidence is cut.
    /// </summary>
    public static byte[] ContentToRgb(ReadOnlySpan<byte> planarGbr, in LetterboxGeometry g)
    {
        var plane = g.InputWidth * g.InputHeight;
        var rgb = new byte[g.ContentWidth * g.ContentHeight * 3];
        var o = 0;
        for (var y = 0; y < g.ContentHeight; y++)
        {
            var row = (g.PadY + y) * g.InputWidth + g.PadX;
            for (var x = 0; x < g.ContentWidth; x++)
            {
                var i = row + x;
                rgb[o++] = planarGbr[2 * plane + i];
                rgb[o++] = planarGbr[i];
                rgb[o++] = planarGbr[plane + i];
            }
        }
        return rgb;
    }
}
