using EdgeAi.Worker.Detection;

namespace EdgeAi.Worker.Tracking;

/// <summary>Mutable per-track state owned by one <see cref="ObjectTracker"/>; instances are pooled and reused.</summary>
internal sealed class Track
{
    /// <summary>Centre samples kept for motion statistics; sampled at most every MotionWindow/16.</summary>
    internal const int HistoryCapacity = 24;

    private readonly long[] _historyTicks = new long[HistoryCapacity];
    private readonly float[] _historyX = new float[HistoryCapacity];
    private readonly float[] _historyY = new float[HistoryCapacity];
    private int _historyHead;   // index of the newest sample
    private int _historyCount;

    public long Id { get; private set; }
    public int ClassId { get; private set; }
    public string Label { get; private set; } = "";
    public float Confidence { get; private set; }
    public BoxF Box { get; private set; }
    public long FirstSeenTicks { get; private set; }
    public long LastSeenTicks { get; private set; }
    public int Hits { get; private set; }
    public bool IsConfirmed { get; private set; }
    public int LostFrames { get; set; }

    /// <summary>Smoothed centre velocity in normalised units per second.</summary>
    public float VelocityX { get; private set; }
    public float VelocityY { get; private set; }

    /// <summary>Box predicted for the frame being associated (set by the tracker before matching).</summary>
    public BoxF Predicted;

    /// <summary>Detection index matched in the frame being associated, or -1.</summary>
    public int MatchedDetection;

    public void Start(long id, in Detection.Detection detection, long ticks, bool confirmed)
    {
        Id = id;
        ClassId = detection.ClassId;
        Label = detection.Label;
        Confidence = detection.Confidence;
        Box = detection.Box;
        FirstSeenTicks = LastSeenTicks = ticks;
        Hits = 1;
        IsConfirmed = confirmed;
        LostFrames = 0;
        VelocityX = VelocityY = 0;
        MatchedDetection = -1;
        _historyCount = 0;
        _historyHead = -1;
        AddSample(ticks, detection.Box.CenterX, detection.Box.CenterY, 0);
    }

    public void Predict(long ticks, long horizonTicks)
    {
        var dt = Math.Min(ticks - LastSeenTicks, horizonTicks) / (float)TimeSpan.TicksPerSecond;
        var dx = VelocityX * dt;
        var dy = VelocityY * dt;
        Predicted = new BoxF(Box.X1 + dx, Box.Y1 + dy, Box.X2 + dx, Box.Y2 + dy);
    }

    public void Update(in Detection.Detection detection, long ticks, int minHits, long minSampleTicks)
    {
        var dt = (ticks - LastSeenTicks) / (float)TimeSpan.TicksPerSecond;
        if (dt > 0)
        {
            var vx = (detection.Box.CenterX - Box.CenterX) / dt;
            var vy = (detection.Box.CenterY - Box.CenterY) / dt;
            // The first measured velocity is taken as is, later ones are smoothed (EMA 0.5).
            VelocityX = Hits == 1 ? vx : 0.5f * (VelocityX + vx);
            VelocityY = Hits == 1 ? vy : 0.5f * (VelocityY + vy);
        }
        Confidence = detection.Confidence;
        Label = detection.Label;
        Box = detection.Box;
        LastSeenTicks = ticks;
        LostFrames = 0;
        Hits++;
        if (Hits >= minHits) IsConfirmed = true;
        AddSample(ticks, detection.Box.CenterX, detection.Box.CenterY, minSampleTicks);
    }

    /// <summary>Max centre distance (normalised, and in box sizes) from the current centre within the window.</summary>
    public void Motion(long windowTicks, out float displacement, out float relative)
    {
        var cx = Box.CenterX;
        var cy = Box.CenterY;
        var w = MathF.Max(Box.Width, 1e-4f);
        var h = MathF.Max(Box.Height, 1e-4f);
        var since = LastSeenTicks - windowTicks;
        float d2 = 0, rel = 0;
        for (int n = 0, i = _historyHead; n < _historyCount; n++, i = i == 0 ? HistoryCapacity - 1 : i - 1)
        {
            if (_historyTicks[i] < since) break;
            var dx = _historyX[i] - cx;
            var dy = _historyY[i] - cy;
            d2 = MathF.Max(d2, dx * dx + dy * dy);
            rel = MathF.Max(rel, MathF.Max(MathF.Abs(dx) / w, MathF.Abs(dy) / h));
        }
        displacement = MathF.Sqrt(d2);
        relative = rel;
    }

    public TrackedObject ToTrackedObject(long windowTicks)
    {
        Motion(windowTicks, out var displacement, out var relative);
        return new TrackedObject(Id, ClassId, Label, Confidence, Box,
            new DateTimeOffset(FirstSeenTicks, TimeSpan.Zero), new DateTimeOffset(LastSeenTicks, TimeSpan.Zero),
            Hits, IsConfirmed, displacement, relative, VelocityX, VelocityY);
    }

    private void AddSample(long ticks, float x, float y, long minSampleTicks)
    {
        // Stored samples are at least minSampleTicks apart, except the newest, which always holds the current
        // position: while it is too close to the one before it, it is overwritten instead of appended.
        if (_historyCount >= 2)
        {
            var prev = _historyHead == 0 ? HistoryCapacity - 1 : _historyHead - 1;
            if (ticks - _historyTicks[prev] < minSampleTicks)
            {
                _historyTicks[_historyHead] = ticks;
                _historyX[_historyHead] = x;
                _historyY[_historyHead] = y;
                return;
            }
        }
        _historyHead = (_historyHead + 1) % HistoryCapacity;
        _historyTicks[_historyHead] = ticks;
        _historyX[_historyHead] = x;
        _historyY[_historyHead] = y;
        if (_historyCount < HistoryCapacity) _historyCount++;
    }
}
