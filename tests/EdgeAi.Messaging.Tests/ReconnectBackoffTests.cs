using Microsoft.Extensions.Time.Testing;

namespace EdgeAi.Messaging.Tests;

/// <summary>The reconnect policy on a fake clock: attempts happen only when the clock has moved by the backoff delay.</summary>
public sealed class ReconnectBackoffTests
{
    [Fact]
    public async Task Execute_AttemptsKeepFailing_DelaysDoubleUpToTheCap()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var pipeline = ReconnectBackoff.Create(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), time,
            args => { delays.Add(args.RetryDelay); return default; }, jitter: false);
        var attempts = 0;
        using var stop = new CancellationTokenSource();

        var run = pipeline.ExecuteAsync(_ =>
        {
            if (++attempts < 7) throw new IOException("Connection refused");
            return ValueTask.CompletedTask;
        }, stop.Token).AsTask();

        // Each retry waits on the fake clock: nothing happens until the test moves it.
        await Eventually(() => attempts == 1);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Yield();
        Assert.Equal(1, attempts);
        foreach (var expected in new[] { 1, 2, 4, 8, 8, 8 })
        {
            var before = attempts;
            time.Advance(TimeSpan.FromSeconds(expected));
            await Eventually(() => attempts == before + 1 || run.IsCompleted);
        }
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(7, attempts);
        Assert.Equal(new[] { 1.0, 2, 4, 8, 8, 8 }, delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task Execute_StopCancelled_WaitEndsWithoutAnotherAttempt()
    {
        var time = new FakeTimeProvider();
        var pipeline = ReconnectBackoff.Create(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), time, null);
        var attempts = 0;
        using var stop = new CancellationTokenSource();

        var run = pipeline.ExecuteAsync(_ => { attempts++; throw new IOException("down"); }, stop.Token).AsTask();
        await Eventually(() => attempts == 1);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public void Create_CapBelowFirstDelay_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconnectBackoff.Create(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeProvider.System, null));

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(5);
        }
    }
}
