namespace EdgeAi.Worker.Quality;

/// <summary>The measurements the quality checks are built from; pure functions over <see cref="GrayImage"/>s.</summary>
public static class ImageStats
{
    /// <summary>Mean grey level and its standard deviation.</summary>
    public static (double Mean, double StdDev) MeanStdDev(GrayImage image)
    {
        long sum = 0, squares = 0;
        foreach (var p in image.Pixels)
        {
            sum += p;
            squares += p * p;
        }
        var n = (double)image.Pixels.Length;
        var mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, squares / n - mean * mean)));
    }

    /// <summary>
    /// Variance of the 4-neighbour Laplacian over the interior pixels: the classic focus measure (Pech-Pacheco et al.,
    /// 2000). Fine detail gives large values; a blurred or flat picture gives small ones. 0 for images under 3×3.
    /// </summary>
    public static double LaplacianVariance(GrayImage image)
    {
        int w = image.Width, h = image.Height;
        if (w < 3 || h < 3) return 0;
        var p = image.Pixels;
        double sum = 0, squares = 0;
        for (var y = 1; y < h - 1; y++)
        {
            var row = y * w;
            for (var x = 1; x < w - 1; x++)
            {
                var i = row + x;
                double lap = 4 * p[i] - p[i - 1] - p[i + 1] - p[i - w] - p[i + w];
                sum += lap;
                squares += lap * lap;
            }
        }
        var n = (double)(w - 2) * (h - 2);
        var mean = sum / n;
        return Math.Max(0, squares / n - mean * mean);
    }

    /// <summary>Mean absolute grey-level difference of two images of the same size.</summary>
    public static double MeanAbsoluteDifference(GrayImage a, GrayImage b)
    {
        RequireSameSize(a, b);
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return (double)sum / a.Pixels.Length;
    }

    /// <summary>
    /// Block means on a <paramref name="columns"/>×<paramref name="rows"/> grid: a coarse copy of the view that ignores
    /// noise, small moving objects and a pixel or two of camera shake.
    /// </summary>
    public static double[] BlockMeans(GrayImage image, int columns, int rows) => Blocks(image, columns, rows, contrast: false);

    /// <summary>Grey-level standard deviation per block on a <paramref name="columns"/>×<paramref name="rows"/> grid (texture per region).</summary>
    public static double[] BlockContrast(GrayImage image, int columns, int rows) => Blocks(image, columns, rows, contrast: true);

    /// <summary>
    /// Zero-mean normalised cross-correlation of two equally long vectors, -1..1: 1 for the same picture, also under
    /// a change of brightness or contrast (gain and offset cancel out); near 0 for unrelated pictures. 0 when either is flat.
    /// </summary>
    public static double NormalisedCrossCorrelation(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths differ: {a.Length} and {b.Length}");
        double ma = 0, mb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.Length;
        mb /= b.Length;
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var da = a[i] - ma;
            var db = b[i] - mb;
            ab += da * db;
            aa += da * da;
            bb += db * db;
        }
        return aa < 1e-9 || bb < 1e-9 ? 0 : ab / Math.Sqrt(aa * bb);
    }

    private static double[] Blocks(GrayImage image, int columns, int rows, bool contrast)
    {
        columns = Math.Clamp(columns, 1, image.Width);
        rows = Math.Clamp(rows, 1, image.Height);
        var result = new double[columns * rows];
        for (var r = 0; r < rows; r++)
        {
            int y0 = r * image.Height / rows, y1 = (r + 1) * image.Height / rows;
            for (var c = 0; c < columns; c++)
            {
                int x0 = c * image.Width / columns, x1 = (c + 1) * image.Width / columns;
                long sum = 0, squares = 0;
                for (var y = y0; y < y1; y++)
                {
                    var row = y * image.Width;
                    for (var x = x0; x < x1; x++)
                    {
                        int p = image.Pixels[row + x];
                        sum += p;
                        squares += p * p;
                    }
                }
                var n = (double)(y1 - y0) * (x1 - x0);
                var mean = sum / n;
                result[r * columns + c] = contrast ? Math.Sqrt(Math.Max(0, squares / n - mean * mean)) : mean;
            }
        }
        return result;
    }

    private static void RequireSameSize(GrayImage a, GrayImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height) throw new ArgumentException($"sizes differ: {a.Width}x{a.Height} and {b.Width}x{b.Height}");
    }
}
