using OpenCvSharp;

namespace EdgeAi.Worker.Tests.Quality;

/// <summary>
/// Deterministic synthetic pictures for the quality checks (160×90, the default analysis size), as 8-bit one-channel
/// Mats (small; left to their finalizers).
/// </summary>
internal static class SyntheticImages
{
    public const int Width = 160, Height = 90;

    public static Mat Flat(byte level) => ToMat(Width, Height, Enumerable.Repeat(level, Width * Height).ToArray());

    /// <summary>A textured "scene": shapes of several sizes plus fine pseudo-random texture, different per seed.</summary>
    public static Mat Scene(int seed)
    {
        var random = new Random(seed);
        var p = new byte[Width * Height];
        for (var i = 0; i < p.Length; i++) p[i] = (byte)(90 + random.Next(0, 60));
        for (var k = 0; k < 25; k++)
        {
            int x0 = random.Next(Width - 10), y0 = random.Next(Height - 10), w = random.Next(5, 50), h = random.Next(5, 40);
            var level = (byte)random.Next(0, 256);
            for (var y = y0; y < Math.Min(Height, y0 + h); y++)
                for (var x = x0; x < Math.Min(Width, x0 + w); x++)
                    p[y * Width + x] = (byte)Math.Clamp(level + random.Next(-25, 26), 0, 255);
        }
        return ToMat(Width, Height, p);
    }

    /// <summary>Each pixel mapped through <paramref name="f"/> (brightness/contrast changes).</summary>
    public static Mat Map(Mat image, Func<int, int> f) =>
        ToMat(image.Width, image.Height, Pixels(image).Select(p => (byte)Math.Clamp(f(p), 0, 255)).ToArray());

    /// <summary>Small per-pixel noise, as a live camera has between two frames of a still scene.</summary>
    public static Mat Noisy(Mat image, int seed, int amplitude = 3)
    {
        var random = new Random(seed);
        return Map(image, p => p + random.Next(-amplitude, amplitude + 1));
    }

    /// <summary>Box blur with a (2r+1)² kernel.</summary>
    public static Mat Blur(Mat image, int r)
    {
        var p = Pixels(image);
        var o = new byte[p.Length];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                int sum = 0, n = 0;
                for (var dy = -r; dy <= r; dy++)
                    for (var dx = -r; dx <= r; dx++)
                    {
                        int xx = Math.Clamp(x + dx, 0, Width - 1), yy = Math.Clamp(y + dy, 0, Height - 1);
                        sum += p[yy * Width + xx];
                        n++;
                    }
                o[y * Width + x] = (byte)(sum / n);
            }
        }
        return ToMat(Width, Height, o);
    }

    /// <summary>The left <paramref name="share"/> of the picture covered by a flat dark board.</summary>
    public static Mat Covered(Mat image, double share)
    {
        var o = Pixels(image);
        var edge = (int)(Width * share);
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < edge; x++)
                o[y * Width + x] = 40;
        return ToMat(Width, Height, o);
    }

    /// <summary>A copy of <paramref name="pixels"/> (row-major grey levels) as a Mat.</summary>
    public static Mat ToMat(int width, int height, byte[] pixels)
    {
        using var header = Mat.FromPixelData(height, width, MatType.CV_8UC1, pixels);
        return header.Clone();
    }

    public static byte[] Pixels(Mat image) => image.AsSpan<byte>().ToArray();
}
