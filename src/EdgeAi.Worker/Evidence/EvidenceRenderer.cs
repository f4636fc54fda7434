using EdgeAi.Interop.Jpeg;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Scenarios;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Evidence;

/// <summary>
/// Renders evidence for an episode event from the analysed frame (packed RGB24): copies the frame, blurs persons
/// when the event's rule asks for it, cuts a crop around the event's objects, draws the zone outline and object
/// boxes, and encodes both as JPEG (libturbojpeg). The caller's frame is never modified. Working buffers are kept
/// and reused. Not thread-safe: one instance per analytics stage.
/// </summary>
internal sealed class EvidenceRenderer : IDisposable
{
    private readonly EvidenceOptions _options;
    private readonly HashSet<string> _persons;
    private JpegCodec? _jpeg;
    private byte[] _canvas = [];
    private byte[] _crop = [];
    private byte[] _scratch = [];

    public EvidenceRenderer(EvidenceOptions? options = null)
    {
        _options = options ?? new EvidenceOptions();
        var errors = _options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _persons = new HashSet<string>(_options.PersonClasses ?? [], StringComparer.Ordinal);
    }

    /// <summary>
    /// Renders the snapshot and crop for <paramref name="episode"/>. <paramref name="frameObjects"/> (all objects
    /// tracked in this frame) widens the privacy blur to every person in view, not only those in the event.
    /// </summary>
    public EvidenceImages Render(ReadOnlySpan<byte> rgb, int width, int height, EpisodeEvent episode, IReadOnlyList<TrackedObject>? frameObjects = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var size = width * height * 3;
        if (rgb.Length < size) throw new ArgumentException($"buffer holds {rgb.Length} bytes, {width}x{height} RGB needs {size}", nameof(rgb));
        if (_canvas.Length < size) _canvas = new byte[size];
        var canvas = _canvas.AsSpan(0, size);
        rgb[..size].CopyTo(canvas);

        if (episode.PrivacyBlur)
        {
            if (frameObjects is not null) BlurPersons(canvas, width, height, frameObjects);
            BlurPersons(canvas, width, height, episode.Objects);
        }

        _jpeg ??= new JpegCodec();
        byte[]? crop = null;
        if (_options.Crop && CropRect(episode.Objects, width, height) is var (cx, cy, cw, ch) && cw > 0)
        {
            if (_crop.Length < cw * ch * 3) _crop = new byte[cw * ch * 3];
            for (var y = 0; y < ch; y++)
                canvas.Slice(((cy + y) * width + cx) * 3, cw * 3).CopyTo(_crop.AsSpan(y * cw * 3));
            crop = _jpeg.EncodeRgb(_crop.AsSpan(0, cw * ch * 3), cw, ch, _options.CropQuality);
        }

        Annotate(canvas, width, height, episode);
        var snapshot = _jpeg.EncodeRgb(canvas, width, height, _options.SnapshotQuality);
        return new EvidenceImages(snapshot, crop);
    }

    /// <summary>Draws the zone outline and the event's object boxes on <paramref name="canvas"/>.</summary>
    internal void Annotate(Span<byte> canvas, int width, int height, EpisodeEvent episode)
    {
        var t = _options.LineThickness > 0 ? _options.LineThickness : Math.Max(2, Math.Max(width, height) / 360);
        var xs = episode.Zone.Xs;
        var ys = episode.Zone.Ys;
        for (int i = 0, j = xs.Length - 1; i < xs.Length; j = i++)
            RgbCanvas.DrawLine(canvas, width, height, Px(xs[j], width), Px(ys[j], height), Px(xs[i], width), Px(ys[i], height), _options.ZoneColor, t);
        foreach (var o in episode.Objects)
        {
            var (x1, y1, x2, y2) = ToPixels(o.Box, width, height);
            RgbCanvas.StrokeRect(canvas, width, height, x1, y1, x2 - 1, y2 - 1, _options.ObjectColor, t);
        }
    }

    /// <summary>Box-blurs every person box in <paramref name="objects"/> on <paramref name="canvas"/>.</summary>
    internal void BlurPersons(Span<byte> canvas, int width, int height, IReadOnlyList<TrackedObject> objects)
    {
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (!_persons.Contains(o.Label)) continue;
            var (x1, y1, x2, y2) = ToPixels(o.Box, width, height);
            int w = x2 - x1, h = y2 - y1;
            if (w <= 0 || h <= 0) continue;
            var need = Math.Max(w, h) * 3;
            if (_scratch.Length < need) _scratch = new byte[Math.Max(need, _scratch.Length * 2)];
            var radius = Math.Max(2, Math.Min(w, h) / 4);
            RgbCanvas.BoxBlur(canvas, width, height, x1, y1, x2, y2, radius, 2, _scratch);
        }
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

    public void Dispose() => _jpeg?.Dispose();
}
