using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Quality;

/// <summary>
/// A small grey-level picture (one byte per pixel, row-major) that the quality checks run on. Made from the analysed
/// frame's letterbox content region, box-averaged down to about the analysis width, so padding never counts and
/// the checks cost the same for every camera resolution.
/// </summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height, byte[] pixels)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), "image must be at least 1x1");
        if (pixels.Length != width * height) throw new ArgumentException($"expected {width * height} pixels, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major grey levels 0..255.</summary>
    public byte[] Pixels { get; }

    public byte this[int x, int y] => Pixels[y * Width + x];

    /// <summary>
    /// Grey level (ITU-R BT.601 weights) of the content region of a planar GBR frame (the layout ffmpeg hands the
    /// detector), averaged over square blocks of an integer size chosen so the result is at most about
    /// <paramref name="targetWidth"/> wide.
    /// </summary>
    public static GrayImage FromPlanarGbr(ReadOnlySpan<byte> planarGbr, in LetterboxGeometry g, int targetWidth)
    {
        var plane = g.InputWidth * g.InputHeight;
        if (planarGbr.Length < 3 * plane) throw new ArgumentException($"frame has {planarGbr.Length} bytes, expected {3 * plane}", nameof(planarGbr));
        var block = Math.Max(1, (int)Math.Round((double)g.ContentWidth / targetWidth));
        var w = Math.Max(1, g.ContentWidth / block);
        var h = Math.Max(1, g.ContentHeight / block);
        var green = planarGbr[..plane];
        var blue = planarGbr.Slice(plane, plane);
        var red = planarGbr.Slice(2 * plane, plane);
        var pixels = new byte[w * h];
        var area = block * block;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var sum = 0;
                for (var dy = 0; dy < block; dy++)
                {
                    var row = (g.PadY + y * block + dy) * g.InputWidth + g.PadX + x * block;
                    for (var dx = 0; dx < block; dx++)
                    {
                        var i = row + dx;
                        sum += 77 * red[i] + 150 * green[i] + 29 * blue[i];   // BT.601 luma, weights sum to 256
                    }
                }
                pixels[y * w + x] = (byte)((sum / area + 128) >> 8);
            }
        }
        return new GrayImage(w, h, pixels);
    }
}
