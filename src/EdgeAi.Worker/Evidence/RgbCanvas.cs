namespace EdgeAi.Worker.Evidence;

/// <summary>
/// Drawing on a packed RGB24 buffer (rows of width*3 bytes, no padding): lines, rectangle strokes, box blur.
/// Everything is clipped to the image, so any coordinates are safe.
/// </summary>
internal static class RgbCanvas
{
    /// <summary>Fills the rectangle [x1, x2) × [y1, y2), clipped.</summary>
    public static void FillRect(Span<byte> rgb, int width, int height, int x1, int y1, int x2, int y2, Rgb color)
    {
        x1 = Math.Max(x1, 0); y1 = Math.Max(y1, 0);
        x2 = Math.Min(x2, width); y2 = Math.Min(y2, height);
        if (x1 >= x2 || y1 >= y2) return;
        for (var y = y1; y < y2; y++)
        {
            var row = rgb.Slice((y * width + x1) * 3, (x2 - x1) * 3);
            for (var i = 0; i < row.Length; i += 3)
            {
                row[i] = color.R;
                row[i + 1] = color.G;
                row[i + 2] = color.B;
            }
        }
    }

    /// <summary>Strokes the rectangle with corners (x1, y1)-(x2, y2) inclusive, <paramref name="thickness"/> pixels inwards.</summary>
    public static void StrokeRect(Span<byte> rgb, int width, int height, int x1, int y1, int x2, int y2, Rgb color, int thickness)
    {
        if (x2 < x1) (x1, x2) = (x2, x1);
        if (y2 < y1) (y1, y2) = (y2, y1);
        var t = Math.Max(1, thickness);
        FillRect(rgb, width, height, x1, y1, x2 + 1, y1 + t, color);          // top
        FillRect(rgb, width, height, x1, y2 + 1 - t, x2 + 1, y2 + 1, color);  // bottom
        FillRect(rgb, width, height, x1, y1, x1 + t, y2 + 1, color);          // left
        FillRect(rgb, width, height, x2 + 1 - t, y1, x2 + 1, y2 + 1, color);  // right
    }

    /// <summary>Bresenham line from (x0, y0) to (x1, y1), each point drawn as a square of <paramref name="thickness"/> pixels.</summary>
    public static void DrawLine(Span<byte> rgb, int width, int height, int x0, int y0, int x1, int y1, Rgb color, int thickness)
    {
        // Keep the walk bounded for far-off endpoints; clipping happens per point.
        x0 = Math.Clamp(x0, -width, 2 * width); x1 = Math.Clamp(x1, -width, 2 * width);
        y0 = Math.Clamp(y0, -height, 2 * height); y1 = Math.Clamp(y1, -height, 2 * height);
        var t = Math.Max(1, thickness);
        var half = (t - 1) / 2;
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        var err = dx + dy;
        while (true)
        {
            if (t == 1)
            {
                if ((uint)x0 < (uint)width && (uint)y0 < (uint)height)
                {
                    var o = (y0 * width + x0) * 3;
                    rgb[o] = color.R; rgb[o + 1] = color.G; rgb[o + 2] = color.B;
                }
            }
            else FillRect(rgb, width, height, x0 - half, y0 - half, x0 - half + t, y0 - half + t, color);
            if (x0 == x1 && y0 == y1) break;
            var e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>
    /// Box blur of the rectangle [x1, x2) × [y1, y2) (clipped) in place: <paramref name="passes"/> horizontal and
    /// vertical passes of a (2r+1) window, edges clamped to the rectangle. <paramref name="scratch"/> must hold
    /// max(w, h) * 3 bytes of the clipped rectangle.
    /// </summary>
    public static void BoxBlur(Span<byte> rgb, int width, int height, int x1, int y1, int x2, int y2, int radius, int passes, Span<byte> scratch)
    {
        x1 = Math.Max(x1, 0); y1 = Math.Max(y1, 0);
        x2 = Math.Min(x2, width); y2 = Math.Min(y2, height);
        int w = x2 - x1, h = y2 - y1;
        if (w <= 0 || h <= 0 || radius <= 0) return;
        if (scratch.Length < Math.Max(w, h) * 3) throw new ArgumentException("scratch buffer too small", nameof(scratch));
        for (var pass = 0; pass < passes; pass++)
        {
            for (var y = y1; y < y2; y++)
            {
                var row = rgb.Slice((y * width + x1) * 3, w * 3);
                row.CopyTo(scratch);
                BlurLine(scratch[..(w * 3)], row, 3, radius);
            }
            var column = scratch[..(h * 3)];
            for (var x = x1; x < x2; x++)
            {
                var o = (y1 * width + x) * 3;
                for (var k = 0; k < h; k++, o += width * 3)
                {
                    column[k * 3] = rgb[o]; column[k * 3 + 1] = rgb[o + 1]; column[k * 3 + 2] = rgb[o + 2];
                }
                o = (y1 * width + x) * 3;
                BlurColumn(column, rgb, o, width * 3, h, radius);
            }
        }
    }

    /// <summary>Sliding-window mean along a line of RGB pixels, from <paramref name="src"/> into <paramref name="dst"/>.</summary>
    private static void BlurLine(ReadOnlySpan<byte> src, Span<byte> dst, int stride, int radius)
    {
        var n = src.Length / 3;
        for (var c = 0; c < 3; c++)
        {
            int sum = 0, window = 2 * radius + 1;
            for (var k = -radius; k <= radius; k++) sum += src[Math.Clamp(k, 0, n - 1) * 3 + c];
            for (var i = 0; i < n; i++)
            {
                dst[i * stride + c] = (byte)((sum + window / 2) / window);
                sum += src[Math.Min(i + radius + 1, n - 1) * 3 + c] - src[Math.Max(i - radius, 0) * 3 + c];
            }
        }
    }

    private static void BlurColumn(ReadOnlySpan<byte> src, Span<byte> rgb, int offset, int rowStride, int n, int radius)
    {
        for (var c = 0; c < 3; c++)
        {
            int sum = 0, window = 2 * radius + 1;
            for (var k = -radius; k <= radius; k++) sum += src[Math.Clamp(k, 0, n - 1) * 3 + c];
            for (var i = 0; i < n; i++)
            {
                rgb[offset + i * rowStride + c] = (byte)((sum + window / 2) / window);
                sum += src[Math.Min(i + radius + 1, n - 1) * 3 + c] - src[Math.Max(i - radius, 0) * 3 + c];
            }
        }
    }
}
