using EdgeAi.Models.Events;
using EdgeAi.Worker.Detection;

namespace EdgeAi.Worker.Scenarios;

/// <summary>A validated zone ready for per-frame membership tests; immutable and thread-safe.</summary>
internal sealed class Zone
{
    private readonly float[] _xs;
    private readonly float[] _ys;
    private readonly BoxF _bounds;

    public Zone(ZoneConfig config, int index)
    {
        Index = index;
        Id = config.Id;
        Type = config.Type;
        Name = config.Name;
        AreaM2 = config.AreaM2;
        var n = config.Polygon.Count;
        _xs = new float[n];
        _ys = new float[n];
        float x1 = 1, y1 = 1, x2 = 0, y2 = 0;
        for (var i = 0; i < n; i++)
        {
            _xs[i] = (float)config.Polygon[i][0];
            _ys[i] = (float)config.Polygon[i][1];
            x1 = MathF.Min(x1, _xs[i]); y1 = MathF.Min(y1, _ys[i]);
            x2 = MathF.Max(x2, _xs[i]); y2 = MathF.Max(y2, _ys[i]);
        }
        _bounds = new BoxF(x1, y1, x2, y2);
        Info = new ZoneInfo(Id, Type, Name, AreaM2);
    }

    /// <summary>Position in the camera's zone list (0..63).</summary>
    public int Index { get; }
    public string Id { get; }
    public string Type { get; }
    public string? Name { get; }
    public double? AreaM2 { get; }

    /// <summary>The zone as it goes on the wire.</summary>
    public ZoneInfo Info { get; }

    /// <summary>Polygon x coordinates (normalised), in order.</summary>
    public ReadOnlySpan<float> Xs => _xs;

    /// <summary>Polygon y coordinates (normalised), in order.</summary>
    public ReadOnlySpan<float> Ys => _ys;

    /// <summary>Is the object with this box in the zone (by its bottom-centre point)?</summary>
    public bool Contains(in BoxF box) => Contains(box.CenterX, box.Y2);

    /// <summary>
    /// Even-odd point-in-polygon test. The point is first pulled inside the frame by a hair, so an object
    /// touching the frame border still belongs to a zone drawn up to that border.
    /// </summary>
    public bool Contains(float x, float y)
    {
        const float eps = 1e-5f;
        x = Math.Clamp(x, eps, 1 - eps);
        y = Math.Clamp(y, eps, 1 - eps);
        if (x < _bounds.X1 || x > _bounds.X2 || y < _bounds.Y1 || y > _bounds.Y2) return false;
        var inside = false;
        for (int i = 0, j = _xs.Length - 1; i < _xs.Length; j = i++)
        {
            var yi = _ys[i];
            var yj = _ys[j];
            if ((yi > y) != (yj > y) && x < (_xs[j] - _xs[i]) * (y - yi) / (yj - yi) + _xs[i])
                inside = !inside;
        }
        return inside;
    }
}
