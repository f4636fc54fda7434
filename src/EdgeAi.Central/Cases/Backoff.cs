using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Cases;

/// <summary>Exponential backoff with ±20 % jitter: initial × 2^(attempt−1), capped at the maximum.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(RetrySettings retry, long attempt, Random? random = null)
    {
        var exp = Math.Min(attempt - 1, 30);
        var raw = retry.InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, exp));
        var capped = Math.Min(raw, retry.MaxDelay.TotalMilliseconds);
        var jitter = 0.8 + (random ?? Random.Shared).NextDouble() * 0.4;
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}
