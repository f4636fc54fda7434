using EdgeAi.Worker.Inference;
using OpenCvSharp;

namespace EdgeAi.Worker.Quality;

/// <summary>
/// Makes the small grey picture the quality checks run on from an analysed frame: the letterbox content region of the
/// planar GBR frame (the layout ffmpeg hands the detector), so padding never counts, converted to grey (BT.601, OpenCV
/// <c>BGR2GRAY</c>) and area-averaged down to about the analysis width, so the checks cost the same for every camera
/// resolution. Its three Mats are allocated once and reused while the frame size stays the same. Not thread-safe: one
/// per camera loop. The picture returned by <see cref="From"/> belongs to this object and is overwritten by the next call.
/// </summary>
public sealed class GrayFrame : IDisposable
{
    private readonly Mat _bgr = new();
    private readonly Mat _grey = new();
    private readonly Mat _small = new();
    private readonly Mat[] _planes = new Mat[3];

    /// <summary>
    /// The content region of <paramref name="planarGbr"/> in grey, area-averaged down by an integer factor
    /// (content width / <paramref name="targetWidth"/>, rounded, at least 1): 320 or 640 wide content gives 160.
    /// </summary>
    public unsafe Mat From(ReadOnlySpan<byte> planarGbr, in LetterboxGeometry g, int targetWidth)
    {
        ObjectDisposedException.ThrowIf(_bgr.IsDisposed, this);
        var plane = g.InputWidth * g.InputHeight;
        if (planarGbr.Length < 3 * plane) throw new ArgumentException($"frame has {planarGbr.Length} bytes, expected {3 * plane}", nameof(planarGbr));
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        var block = Math.Max(1, (int)Math.Round((double)g.ContentWidth / targetWidth));
        var size = new Size(Math.Max(1, g.ContentWidth / block), Math.Max(1, g.ContentHeight / block));
        fixed (byte* p = planarGbr)
        {
            // Headers over the caller's memory (no copy), valid only inside this block: planes 0, 1, 2 are G, B, R.
            var content = p + g.PadY * g.InputWidth + g.PadX;
            using var green = Mat.FromPixelData(g.ContentHeight, g.ContentWidth, MatType.CV_8UC1, (IntPtr)content, g.InputWidth);
            using var blue = Mat.FromPixelData(g.ContentHeight, g.ContentWidth, MatType.CV_8UC1, (IntPtr)(content + plane), g.InputWidth);
            using var red = Mat.FromPixelData(g.ContentHeight, g.ContentWidth, MatType.CV_8UC1, (IntPtr)(content + 2 * plane), g.InputWidth);
            (_planes[0], _planes[1], _planes[2]) = (blue, green, red);
            Cv2.Merge(_planes, _bgr);
            Array.Clear(_planes);
        }
        Cv2.CvtColor(_bgr, _grey, ColorConversionCodes.BGR2GRAY);
        Cv2.Resize(_grey, _small, size, 0, 0, InterpolationFlags.Area);
        return _small;
    }

    public void Dispose()
    {
        _bgr.Dispose();
        _grey.Dispose();
        _small.Dispose();
    }
}
