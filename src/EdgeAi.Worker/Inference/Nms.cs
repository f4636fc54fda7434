namespace EdgeAi.Worker.Inference;

/// <summary>Greedy class-aware non-maximum suppression, in place.</summary>
internal static class Nms
{
    private static readonly Comparison<OutputDecoder.Candidate> ByScoreDescending = (a, b) => b.Score.CompareTo(a.Score);

    /// <summary>Keeps, per class, the highest-scoring boxes that overlap no kept box by more than <paramref name="iou"/>.</summary>
    public static void Apply(List<OutputDecoder.Candidate> candidates, float iou, int maxKeep)
    {
        candidates.Sort(ByScoreDescending);
        var kept = 0;
        for (var i = 0; i < candidates.Count && kept < maxKeep; i++)
        {
            var c = candidates[i];
            var suppressed = false;
            for (var k = 0; k < kept; k++)
            {
                var p = candidates[k];
                if (p.ClassId == c.ClassId && IoU(p, c) > iou) { suppressed = true; break; }
            }
            if (!suppressed) candidates[kept++] = c;
        }
        candidates.RemoveRange(kept, candidates.Count - kept);
    }

    internal static float IoU(in OutputDecoder.Candidate a, in OutputDecoder.Candidate b)
    {
        var iw = MathF.Min(a.X2, b.X2) - MathF.Max(a.X1, b.X1);
        var ih = MathF.Min(a.Y2, b.Y2) - MathF.Max(a.Y1, b.Y1);
        if (iw <= 0 || ih <= 0) return 0;
        var inter = iw * ih;
        var union = (a.X2 - a.X1) * (a.Y2 - a.Y1) + (b.X2 - b.X1) * (b.Y2 - b.Y1) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
