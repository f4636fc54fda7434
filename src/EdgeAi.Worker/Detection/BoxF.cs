namespace EdgeAi.Worker.Detection;

/// <summary>Axis-aligned box, corners (X1,Y1)-(X2,Y2). In the pipeline boxes are normalised to 0..1 of the source frame.</summary>
public readonly record struct BoxF(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;
    public float Height => Y2 - Y1;
    public float Area => MathF.Max(0, Width) * MathF.Max(0, Height);
    public float CenterX => (X1 + X2) * 0.5f;
    public float CenterY => (Y1 + Y2) * 0.5f;

    /// <summary>Bottom-centre point: where an object stands; zone membership is decided by it.</summary>
    public (float X, float Y) BottomCenter => (CenterX, Y2);

    public static BoxF FromCenter(float cx, float cy, float w, float h) => new(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);

    /// <summary>Intersection over union; 0 when either box is empty.</summary>
    public float IoU(in BoxF other)
    {
        var iw = MathF.Min(X2, other.X2) - MathF.Max(X1, other.X1);
        var ih = MathF.Min(Y2, other.Y2) - MathF.Max(Y1, other.Y1);
        if (iw <= 0 || ih <= 0) return 0;
        var inter = iw * ih;
        var union = Area + other.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }

    public BoxF Clamp01() => new(Math.Clamp(X1, 0, 1), Math.Clamp(Y1, 0, 1), Math.Clamp(X2, 0, 1), Math.Clamp(Y2, 0, 1));
}
