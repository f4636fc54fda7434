using System.Threading.Channels;
using EdgeAi.Worker.Ingest;
using Microsoft.Extensions.Time.Testing;

namespace EdgeAi.Worker.Tests.Ingest;

/// <summary>
/// The camera reconnect backoff (Polly retry) on a fake clock: the test plays a scripted camera, sees each delay the
/// backoff chose, and moves the clock on by it. Jitter is fixed (randomizer 0.5) where the exact sequence is asserted.
/// </summary>
public sealed class ReconnectBackoffTests
{
    private static readonly IngestOptions Options = new();   // the documented defaults: 1 s, cap 60 s, stable after 30 s, failed after 3
    private static readonly ConnectionAttempt Refused = new(0, TimeSpan.Zero, "connection refused", false);
    private static readonly ConnectionAttempt NotVideo = new(0, TimeSpan.Zero, "not a video stream", true);
    private static readonly ConnectionAttempt Stable = new(1000, TimeSpan.FromMinutes(5), "stalled: no frame for 20 s", false);
    private static readonly ConnectionAttempt Short = new(10, TimeSpan.FromSeconds(5), "end of stream", false);

    [Fact]
    public async Task RunAsync_CameraKeepsFailing_DelaysGrowToTheCapAndStateTurnsFailed()
    {
        var notices = await PlayAsync(Enumerable.Repeat(Refused, 12), () => 0.5);

        var delays = notices.Select(n => n.Delay).ToList();
        Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5));     // about BackoffMin first
        var growing = delays.TakeWhile(d => d < Options.BackoffMax).ToList();
        Assert.True(growing.Count >= 5, $"delays {Show(delays)}");
        for (var i = 1; i < growing.Count; i++) Assert.True(growing[i] > growing[i - 1], $"delays {Show(delays)}");
        Assert.True(growing[^1] > growing[0] * 16, $"delays {Show(delays)}");                  // exponential, not linear
        Assert.All(delays.Skip(growing.Count), d => Assert.Equal(Options.BackoffMax, d));     // capped, and stays there
        Assert.Equal(Enumerable.Range(0, 12), notices.Select(n => n.Attempt));
        // Backoff for the first two attempts without a frame, failed from the third (FailedAfterAttempts = 3).
        Assert.Equal([false, false, true, true], notices.Take(4).Select(n => n.Failed));
    }

    [Fact]
    public async Task RunAsync_StableStreamEnds_DelaysStartAgainFromTheFirst()
    {
        var notices = await PlayAsync([Refused, Refused, Refused, Refused, Refused, Stable, Refused, Refused], () => 0.5);

        var before = notices.Take(5).Select(n => n.Delay).ToList();
        var after = notices.Skip(5).Select(n => n.Delay).ToList();
        Assert.True(before[4] > before[0] * 8, $"delays {Show(before)}");                   // grew while failing
        Assert.Equal(before.Take(3), after);                                                   // reset: same sequence again
        Assert.Equal([0, 1, 2], notices.Skip(5).Select(n => n.Attempt));
        Assert.Equal([false, false, false], notices.Skip(5).Select(n => n.Failed));          // frames came: not failed
    }

    [Fact]
    public async Task RunAsync_ShortStreamBetweenFailures_KeepsGrowingButIsNotFailed()
    {
        var notices = await PlayAsync([Refused, Refused, Refused, Short, Refused], () => 0.5);

        var delays = notices.Select(n => n.Delay).ToList();
        for (var i = 1; i < delays.Count; i++) Assert.True(delays[i] > delays[i - 1], $"delays {Show(delays)}");   // 5 s up is not stable
        Assert.Equal([false, false, true, false, false], notices.Select(n => n.Failed));      // frames reset the failed count
    }

    [Fact]
    public async Task RunAsync_PermanentFault_FailedAndRetriedAtTheCap()
    {
        var notices = await PlayAsync([NotVideo, NotVideo, Refused], () => 0.5);

        Assert.Equal([Options.BackoffMax, Options.BackoffMax], notices.Take(2).Select(n => n.Delay));
        Assert.True(notices[0].Failed);
        Assert.Equal("not a video stream", notices[0].Ended.Reason);
        Assert.True(notices[2].Delay < Options.BackoffMax, "a transient fault after permanent ones backs off by attempt again");
    }

    [Fact]
    public async Task RunAsync_RealJitter_CamerasDoNotRetryInLockStepAndStayUnderTheCap()
    {
        var a = await PlayAsync(Enumerable.Repeat(Refused, 10), null);
        var b = await PlayAsync(Enumerable.Repeat(Refused, 10), null);

        Assert.NotEqual(a.Select(n => n.Delay), b.Select(n => n.Delay));
        Assert.All(a.Concat(b), n => Assert.InRange(n.Delay, TimeSpan.Zero, Options.BackoffMax));
        Assert.True(a.Skip(6).Concat(b.Skip(6)).Average(n => n.Delay.TotalSeconds) > 10, $"{Show(a.Select(n => n.Delay))} / {Show(b.Select(n => n.Delay))}");
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsDuringTheDelay()
    {
        var time = new FakeTimeProvider();
        using var cts = new CancellationTokenSource();
        var notices = Channel.CreateUnbounded<ReconnectNotice>();
        var backoff = new ReconnectBackoff(Options with { BackoffMin = TimeSpan.FromMinutes(10), BackoffMax = TimeSpan.FromHours(1) }, time,
            n => notices.Writer.TryWrite(n));
        var run = backoff.RunAsync(_ => ValueTask.FromResult(Refused), cts.Token);

        await notices.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));   // waiting out its first delay
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// Runs the backoff against a camera that ends each connection as <paramref name="script"/> says (then hangs until
    /// cancelled), moving the fake clock past every delay, and returns one notice per scripted connection.
    /// </summary>
    private static async Task<List<ReconnectNotice>> PlayAsync(IEnumerable<ConnectionAttempt> script, Func<double>? randomizer)
    {
        var time = new FakeTimeProvider();
        var pending = new Queue<ConnectionAttempt>(script);
        var expected = pending.Count;
        var connects = 0;
        var notices = new List<ReconnectNotice>();
        using var cts = new CancellationTokenSource();
        var backoff = new ReconnectBackoff(Options, time, n => { lock (notices) notices.Add(n); }, randomizer);
        var run = backoff.RunAsync(async ct =>
        {
            Interlocked.Increment(ref connects);
            if (pending.TryDequeue(out var next)) return next;
            await Task.Delay(Timeout.Infinite, ct);
            throw new OperationCanceledException(ct);
        }, cts.Token);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Volatile.Read(ref connects) <= expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{connects} connects, {notices.Count} notices of {expected}");
            if (run.IsCompleted) await run;   // surfaces a failure of the loop itself
            // Past any delay once Polly has started its timer; before that, the next turn of this loop catches up.
            time.Advance(Options.BackoffMax);
            await Task.Delay(1);
        }
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        lock (notices)
        {
            Assert.Equal(expected, notices.Count);
            return [.. notices];
        }
    }

    private static string Show(IEnumerable<TimeSpan> delays) => string.Join(", ", delays.Select(d => d.TotalSeconds.ToString("0.00")));
}
