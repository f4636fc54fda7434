using System.Globalization;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;
using OpenCvSharp;

namespace EdgeAi.Worker.Evidence;

/// <summary>
/// Renders evidence for an episode event from the analysed frame with OpenCV — its full-resolution JPEG
/// (<see cref="RenderJpeg(byte[], EpisodeEvent, IReadOnlyList{TrackedObject}?)"/>) or the model-input frame (packed RGB24) — into a
/// BGR canvas, blurs persons when the event's rule asks for it, cuts a crop around the event's objects, draws the zone
/// outline, the object boxes and their labels (class and confidence on a filled background), and encodes both as JPEG.
/// The caller's frame is never modified. The canvas Mat is kept and reused (reallocated only when the frame size
/// changes); every other Mat is a header over it, disposed before the call returns. Not thread-safe: one instance per
/// analytics stage. Dispose releases the canvas.
/// </summary>
internal sealed class EvidenceRenderer : IDisposable
{
    private const HersheyFonts Font = HersheyFonts.HersheySimplex;

    private readonly EvidenceOptions _options;
    private readonly HashSet<string> _persons;
    private readonly ImageEncodingParam[] _snapshotJpeg;
    private readonly ImageEncodingParam[] _cropJpeg;
    private readonly Mat _canvas = new();

    public EvidenceRenderer(EvidenceOptions? options = null)
    {
        _options = options ?? new EvidenceOptions();
        var errors = _options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _persons = new HashSet<string>(_options.PersonClasses ?? [], StringComparer.Ordinal);
        _snapshotJpeg = [new ImageEncodingParam(ImwriteFlags.JpegQuality, _options.SnapshotQuality)];
        _cropJpeg = [new ImageEncodingParam(ImwriteFlags.JpegQuality, _options.CropQuality)];
    }

    /// <summary>
    /// Renders the snapshot and crop for <paramref name="episode"/> from the model-input frame (packed RGB24).
    /// <paramref name="frameObjects"/> (all objects tracked in this frame) widens the privacy blur to every person in view,
    /// not only those in the event.
    /// </summary>
    public EvidenceImages Render(ReadOnlySpan<byte> rgb, int width, int height, EpisodeEvent episode, IReadOnlyList<TrackedObject>? frameObjects = null) =>
        Render(rgb, width, height, episode.Zone, episode.Objects, episode.PrivacyBlur, frameObjects);

    /// <summary>As <see cref="Render(ReadOnlySpan{byte}, int, int, EpisodeEvent, IReadOnlyList{TrackedObject}?)"/> for any zone and objects (the after-photo of a verification).</summary>
    public unsafe EvidenceImages Render(ReadOnlySpan<byte> rgb, int width, int height, Zone zone, IReadOnlyList<TrackedObject> objects, bool privacyBlur,
        IReadOnlyList<TrackedObject>? frameObjects = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ObjectDisposedException.ThrowIf(_canvas.IsDisposed, this);
        var size = width * height * 3;
        if (rgb.Length < size) throw new ArgumentException($"buffer holds {rgb.Length} bytes, {width}x{height} RGB needs {size}", nameof(rgb));
        fixed (byte* p = rgb)
        {
            using var source = Mat.FromPixelData(height, width, MatType.CV_8UC3, (IntPtr)p);   // header over the caller's bytes, only read
            Cv2.CvtColor(source, _canvas, ColorConversionCodes.RGB2BGR);
        }
        return RenderCanvas(_canvas, zone, objects, privacyBlur, frameObjects);
    }

    /// <summary>
    /// Renders from the full-resolution picture of the analysed frame (a JPEG at the camera's own size): boxes are
    /// normalised to the source frame, so they land on the same pixels at any size. Throws <see cref="ArgumentException"/>
    /// when the bytes are not a decodable picture.
    /// </summary>
    public EvidenceImages RenderJpeg(byte[] jpeg, Zone zone, IReadOnlyList<TrackedObject> objects, bool privacyBlur, IReadOnlyList<TrackedObject>? frameObjects = null)
    {
        ObjectDisposedException.ThrowIf(_canvas.IsDisposed, this);
        using var picture = Cv2.ImDecode(jpeg, ImreadModes.Color);
        if (picture.Empty()) throw new ArgumentException($"not a decodable picture ({jpeg.Length} bytes)", nameof(jpeg));
        return RenderCanvas(picture, zone, objects, privacyBlur, frameObjects);
    }

    /// <inheritdoc cref="RenderJpeg(byte[], Zone, IReadOnlyList{TrackedObject}, bool, IReadOnlyList{TrackedObject}?)"/>
    public EvidenceImages RenderJpeg(byte[] jpeg, EpisodeEvent episode, IReadOnlyList<TrackedObject>? frameObjects = null) =>
        RenderJpeg(jpeg, episode.Zone, episode.Objects, episode.PrivacyBlur, frameObjects);

    /// <summary>Blurs, crops, draws and encodes on <paramref name="canvas"/> (BGR, modified).</summary>
    private EvidenceImages RenderCanvas(Mat canvas, Zone zone, IReadOnlyList<TrackedObject> objects, bool privacyBlur, IReadOnlyList<TrackedObject>? frameObjects)
    {
        int width = canvas.Width, height = canvas.Height;
        if (privacyBlur)
        {
            if (frameObjects is not null) BlurPersons(canvas, frameObjects);
            BlurPersons(canvas, objects);
        }

        byte[]? crop = null;
        var cropSize = (Width: 0, Height: 0);
        if (_options.Crop && CropRect(objects, width, height) is var (cx, cy, cw, ch) && cw > 0)
        {
            using var region = new Mat(canvas, new Rect(cx, cy, cw, ch));
            crop = Encode(region, _cropJpeg);
            cropSize = (cw, ch);
        }

        Annotate(canvas, zone, objects);
        return new EvidenceImages(Encode(canvas, _snapshotJpeg), crop, width, height, cropSize.Width, cropSize.Height, privacyBlur);
    }

    private static byte[] Encode(Mat image, ImageEncodingParam[] parameters)
    {
        Cv2.ImEncode(".jpg", image, out var jpeg, parameters);   // throws OpenCVException on failure
        return jpeg;
    }

    /// <summary>Draws the zone outline, the event's object boxes (stroked inwards, so a box on the frame edge keeps its
    /// width) and, when enabled, their labels on <paramref name="canvas"/> (BGR).</summary>
    internal void Annotate(Mat canvas, EpisodeEvent episode) => Annotate(canvas, episode.Zone, episode.Objects);

    internal void Annotate(Mat canvas, Zone zoneShape, IReadOnlyList<TrackedObject> objects)
    {
        int width = canvas.Width, height = canvas.Height;
        var t = _options.LineThickness > 0 ? _options.LineThickness : Math.Max(2, Math.Max(width, height) / 360);
        var xs = zoneShape.Xs;
        var ys = zoneShape.Ys;
        var zone = new Point[xs.Length];
        for (var i = 0; i < xs.Length; i++) zone[i] = new Point(Px(xs[i], width), Px(ys[i], height));
        if (zone.Length > 1) Cv2.Polylines(canvas, [zone], isClosed: true, _options.ZoneColor, t, LineTypes.Link8);
        var inset = t / 2;   // OpenCV centres a thick stroke on the rectangle's edge
        foreach (var o in objects)
        {
            var (x1, y1, x2, y2) = ToPixels(o.Box, width, height);
            if (x2 <= x1 || y2 <= y1) continue;
            Cv2.Rectangle(canvas, new Point(x1 + inset, y1 + inset), new Point(Math.Max(x1 + inset, x2 - 1 - inset), Math.Max(y1 + inset, y2 - 1 - inset)),
                _options.ObjectColor, t, LineTypes.Link8);
        }
        if (_options.Labels)
            foreach (var o in objects) DrawLabel(canvas, o);
    }

    /// <summary>
    /// "class 0.87" above the box's top-left corner (inside the box when there is no room above), on a filled background
    /// in the object colour, kept inside the image. Text height about 1/30 of the image height, never under ~8 pixels,
    /// anti-aliased, white or black for contrast.
    /// </summary>
    internal void DrawLabel(Mat canvas, TrackedObject o)
    {
        int width = canvas.Width, height = canvas.Height;
        var (x1, y1, x2, y2) = ToPixels(o.Box, width, height);
        if (x2 <= x1 || y2 <= y1) return;
        var scale = Math.Max(0.35, height / 720.0);
        var thickness = Math.Max(1, (int)Math.Round(scale * 1.5));
        var text = string.Create(CultureInfo.InvariantCulture, $"{o.Label} {o.Confidence:0.00}");
        var textSize = Cv2.GetTextSize(text, Font, scale, thickness, out var baseline);
        var pad = Math.Max(2, textSize.Height / 4);
        int boxW = textSize.Width + 2 * pad, boxH = textSize.Height + baseline + 2 * pad;
        var top = y1 - boxH >= 0 ? y1 - boxH : y1;
        var left = Math.Clamp(x1, 0, Math.Max(0, width - boxW));
        Cv2.Rectangle(canvas, new Rect(left, top, boxW, boxH), _options.ObjectColor, -1, LineTypes.Link8);
        var c = _options.ObjectColor;
        var textColor = 0.114 * c.Val0 + 0.587 * c.Val1 + 0.299 * c.Val2 > 140 ? Scalar.Black : Scalar.White;
        Cv2.PutText(canvas, text, new Point(left + pad, top + pad + textSize.Height), Font, scale, textColor, thickness, LineTypes.AntiAlias);
    }

    /// <summary>Blurs every person box in <paramref name="objects"/> on <paramref name="canvas"/>: two box-filter passes
    /// of a window a quarter of the box's smaller side (at least 5 pixels), about a Gaussian; only the box's pixels change.</summary>
    internal void BlurPersons(Mat canvas, IReadOnlyList<TrackedObject> objects)
    {
        int width = canvas.Width, height = canvas.Height;
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (!_persons.Contains(o.Label)) continue;
            var (x1, y1, x2, y2) = ToPixels(o.Box, width, height);
            int w = x2 - x1, h = y2 - y1;
            if (w <= 0 || h <= 0) continue;
            BlurRegion(canvas, new Rect(x1, y1, w, h));
        }
    }

    /// <summary>
    /// Blurs a rectangle of the picture in place beyond recognition: two box filters with a window a quarter of the
    /// rectangle's shorter side (at least 5 px), edges replicated. Used for snapshot evidence and blurred clips alike.
    /// </summary>
    internal static void BlurRegion(Mat image, Rect rect)
    {
        var radius = Math.Max(2, Math.Min(rect.Width, rect.Height) / 4);
        var window = new Size(2 * radius + 1, 2 * radius + 1);
        using var region = new Mat(image, rect);
        Cv2.Blur(region, region, window, null, BorderTypes.Replicate);
        Cv2.Blur(region, region, window, null, BorderTypes.Replicate);
    }

    /// <summary>Union of the objects' boxes grown by the margin and to the minimum size, clamped to the image; width 0 when none.</summary>
    internal (int X, int Y, int Width, int Height) CropRect(IReadOnlyList<TrackedObject> objects, int width, int height)
    {
        if (objects.Count == 0) return default;
        float x1 = 1, y1 = 1, x2 = 0, y2 = 0;
        foreach (var o in objects)
        {
            var b = o.Box.Clamp01();
            x1 = MathF.Min(x1, b.X1); y1 = MathF.Min(y1, b.Y1);
            x2 = MathF.Max(x2, b.X2); y2 = MathF.Max(y2, b.Y2);
        }
        double px1 = x1 * width, py1 = y1 * height, px2 = x2 * width, py2 = y2 * height;
        var mx = (px2 - px1) * _options.CropMargin;
        var my = (py2 - py1) * _options.CropMargin;
        px1 -= mx; px2 += mx; py1 -= my; py2 += my;
        var min = Math.Min(_options.MinCropSize, Math.Min(width, height));
        if (px2 - px1 < min) { var c = (px1 + px2) / 2; px1 = c - min / 2.0; px2 = px1 + min; }
        if (py2 - py1 < min) { var c = (py1 + py2) / 2; py1 = c - min / 2.0; py2 = py1 + min; }
        // Shift back inside the image before clamping, so a small crop at the border keeps its size.
        if (px1 < 0) { px2 -= px1; px1 = 0; }
        if (py1 < 0) { py2 -= py1; py1 = 0; }
        if (px2 > width) { px1 -= px2 - width; px2 = width; }
        if (py2 > height) { py1 -= py2 - height; py2 = height; }
        // The 1e-3 keeps float noise of normalised boxes (0.4f * 100 = 40.0000006) from adding a pixel row.
        var ix1 = Math.Clamp((int)Math.Floor(px1 + 1e-3), 0, width - 1);
        var iy1 = Math.Clamp((int)Math.Floor(py1 + 1e-3), 0, height - 1);
        var ix2 = Math.Clamp((int)Math.Ceiling(px2 - 1e-3), ix1 + 1, width);
        var iy2 = Math.Clamp((int)Math.Ceiling(py2 - 1e-3), iy1 + 1, height);
        return (ix1, iy1, ix2 - ix1, iy2 - iy1);
    }

    private static int Px(float v, int size) => (int)MathF.Round(v * (size - 1));

    private static (int X1, int Y1, int X2, int Y2) ToPixels(in BoxF box, int width, int height)
    {
        var b = box.Clamp01();
        return ((int)MathF.Floor(b.X1 * width), (int)MathF.Floor(b.Y1 * height),
            Math.Min(width, (int)MathF.Ceiling(b.X2 * width)), Math.Min(height, (int)MathF.Ceiling(b.Y2 * height)));
    }

    public void Dispose() => _canvas.Dispose();
}
