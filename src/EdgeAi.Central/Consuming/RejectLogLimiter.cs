namespace EdgeAi.Central.Consuming;

/// <summary>
/// Keeps a flood of bad messages from flooding the log: per reason class, at most <c>perMinute</c> rejections are
/// logged in each one-minute window; the rest are only counted (every rejection is still stored and counted in
/// <c>edgeai_central_dead_letters_total</c>). The first one logged in a new window carries the number suppressed in
/// the windows before it. Single-threaded (the message processor).
/// </summary>
internal sealed class RejectLogLimiter(int perMinute, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, (DateTimeOffset Start, int Logged, long Suppressed)> _classes = new();

    public enum Decision
    {
        /// <summary>Log it.</summary>
        Log,

        /// <summary>Log it, with the count suppressed since the last line of this class.</summary>
        LogWithSummary,

        /// <summary>Count it only.</summary>
        Suppress,
    }

    /// <summary>Total rejections not logged so far (all classes).</summary>
    public long SuppressedTotal { get; private set; }

    public Decision Admit(string reasonClass, out long suppressedBefore)
    {
        var now = time.GetUtcNow();
        suppressedBefore = 0;
        _classes.TryGetValue(reasonClass, out var c);
        if (c.Start == default || now - c.Start >= Window) c = (now, 0, c.Suppressed);
        if (c.Logged < perMinute)
        {
            suppressedBefore = c.Suppressed;
            _classes[reasonClass] = (c.Start, c.Logged + 1, 0);
            return suppressedBefore > 0 ? Decision.LogWithSummary : Decision.Log;
        }
        _classes[reasonClass] = (c.Start, c.Logged, c.Suppressed + 1);
        SuppressedTotal++;
        return Decision.Suppress;
    }
}
