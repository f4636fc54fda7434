namespace EdgeAi.Testing;

/// <summary>Waits for a condition that real components reach asynchronously (a broker delivering, a camera reconnecting).</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 25 ms; throws <see cref="TimeoutException"/> with <paramref name="describe"/>() after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(describe());
            await Task.Delay(25);
        }
    }

    /// <summary>Async form for conditions that ask a service (HTTP, database); polls every 250 ms.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(describe());
            await Task.Delay(250);
        }
    }
}
