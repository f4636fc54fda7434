namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>Polls a condition instead of sleeping; generous timeouts for a loaded 2-core machine.</summary>
internal static class Wait
{
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<Task<string>>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Long);
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline)
            {
                var extra = diagnostics is null ? "" : "\n" + await diagnostics();
                throw new TimeoutException($"timed out after {(timeout ?? Long).TotalSeconds} s waiting for: {what}{extra}");
            }
            await Task.Delay(100);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<Task<string>>? diagnostics = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, diagnostics);
}
