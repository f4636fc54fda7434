using System.Globalization;

namespace EdgeAi.Central.Incidents;

/// <summary>An axis-aligned box in normalised frame coordinates (0..1), x1 &lt; x2, y1 &lt; y2.</summary>
internal readonly record struct Box(double X1, double Y1, double X2, double Y2)
{
    public double Area => Math.Max(0, X2 - X1) * Math.Max(0, Y2 - Y1);

    /// <summary>Intersection over union, 0 when disjoint or degenerate.</summary>
    public double IoU(Box other)
    {
        var ix = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        var iy = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (ix <= 0 || iy <= 0) return 0;
        var inter = ix * iy;
        var union = Area + other.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }

    public Box Union(Box other) => new(Math.Min(X1, other.X1), Math.Min(Y1, other.Y1), Math.Max(X2, other.X2), Math.Max(Y2, other.Y2));

    /// <summary>The box around every object's box; null when there is none with four coordinates.</summary>
    public static Box? Around(IEnumerable<IReadOnlyList<double>> boxes)
    {
        Box? all = null;
        foreach (var b in boxes)
        {
            if (b.Count != 4) continue;
            var box = new Box(b[0], b[1], b[2], b[3]);
            all = all is { } a ? a.Union(box) : box;
        }
        return all;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{X1:0.####},{Y1:0.####},{X2:0.####},{Y2:0.####}");

    public static Box? Parse(string? s)
    {
        if (string.IsNullOrEmpty(s)) return null;
        var p = s.Split(',');
        if (p.Length != 4) return null;
        var v = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(p[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i])) return null;
        }
        return new Box(v[0], v[1], v[2], v[3]);
    }
}
