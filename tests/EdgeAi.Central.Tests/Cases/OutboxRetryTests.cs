using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using EdgeAi.Central.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace EdgeAi.Central.Tests.CaseLoop;

/// <summary>The outbox retry pipeline on a fake clock: delays, attempt and age limits, permanent failures.</summary>
public sealed class OutboxRetryTests
{
    private static readonly RetrySettings Settings = new()
    {
        InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(60), MaxAttempts = 8, MaxAge = TimeSpan.FromHours(1),
    };

    private sealed record Run(PlatformResult Result, int Attempts, List<TimeSpan> Delays, OutboxRow Item);

    /// <summary>Runs the pipeline, advancing the fake clock by each delay the pipeline asks for.</summary>
    private static async Task<Run> RunAsync(RetrySettings settings, FakeTimeProvider time, Func<int, PlatformResult> outcome, long priorAttempts = 0, TimeSpan? age = null)
    {
        var item = new OutboxRow { Id = 1, CaseId = "c", Kind = OutboxKind.File, Attempts = priorAttempts, CreatedAt = UnixMs.From(time.GetUtcNow() - (age ?? TimeSpan.Zero)) };
        var delays = new List<TimeSpan>();
        var attempts = 0;
        var pipeline = OutboxRetry.Create(settings, time, (i, r, d) =>
        {
            Assert.Same(item, i);
            Assert.False(r.Ok);
            lock (delays) delays.Add(d);
            i.Attempts++;
            return default;
        });
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(OutboxRetry.Item, item);
        var run = pipeline.ExecuteAsync(_ => ValueTask.FromResult(outcome(Interlocked.Increment(ref attempts))), context).AsTask();
        var advanced = 0;
        while (true)
        {
            await Wait.UntilAsync(() => run.IsCompleted || Volatile.Read(ref attempts) > advanced, "an attempt", TimeSpan.FromSeconds(30));
            if (run.IsCompleted) break;
            // the attempt failed and its delay was recorded just before the pipeline waits on the clock
            await Wait.UntilAsync(() => { lock (delays) return delays.Count > advanced; }, "the retry delay", TimeSpan.FromSeconds(30));
            TimeSpan d;
            lock (delays) d = delays[advanced];
            advanced++;
            time.Advance(d);
        }
        return new Run(await run, attempts, delays, item);
    }

    [Fact]
    public async Task Execute_TransientThenSuccess_RetriesAfterGrowingDelaysOnTheClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T00:00:00Z"));
        var start = time.GetUtcNow();
        var run = await RunAsync(Settings, time, n => n < 5 ? PlatformResult.Transient($"down {n}") : PlatformResult.Success("P-1"));
        Assert.True(run.Result.Ok);
        Assert.Equal(5, run.Attempts);
        Assert.Equal(4, run.Delays.Count);
        Assert.Equal(4, run.Item.Attempts);
        Assert.All(run.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), Settings.MaxDelay));
        // exponential: the later delays together exceed four initial delays even with jitter
        Assert.True(run.Delays[2] + run.Delays[3] > Settings.InitialDelay * 2, string.Join(", ", run.Delays));
        Assert.Equal(start + run.Delays.Aggregate(TimeSpan.Zero, (a, b) => a + b), time.GetUtcNow());
    }

    [Fact]
    public async Task Execute_AlwaysTransient_StopsAtMaxAttemptsCountingEarlierOnes()
    {
        var time = new FakeTimeProvider();
        var run = await RunAsync(Settings, time, _ => PlatformResult.Transient("down"));
        Assert.False(run.Result.Ok);
        Assert.Equal(Settings.MaxAttempts, run.Attempts);
        Assert.Equal(Settings.MaxAttempts - 1, run.Delays.Count);
        Assert.All(run.Delays, d => Assert.True(d <= Settings.MaxDelay, $"{d} > max"));

        // after a restart the attempts recorded in the row count: 6 made before, 2 more here
        var resumed = await RunAsync(Settings, new FakeTimeProvider(), _ => PlatformResult.Transient("down"), priorAttempts: 6);
        Assert.Equal(2, resumed.Attempts);
    }

    [Fact]
    public async Task Execute_Permanent_IsNotRetried()
    {
        var run = await RunAsync(Settings, new FakeTimeProvider(), _ => PlatformResult.Permanent("400 bad request"));
        Assert.False(run.Result.Ok);
        Assert.Equal("400 bad request", run.Result.Error);
        Assert.Equal(1, run.Attempts);
        Assert.Empty(run.Delays);
    }

    [Fact]
    public async Task Execute_ItemOlderThanMaxAge_IsNotRetriedAgain()
    {
        var old = await RunAsync(Settings, new FakeTimeProvider(), _ => PlatformResult.Transient("down"), age: Settings.MaxAge + TimeSpan.FromSeconds(1));
        Assert.Equal(1, old.Attempts);

        // an item that ages past max_age while retrying: initial delay 2 s doubling to a 60 s cap stops within the hour
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var settings = Settings with { MaxAttempts = 10_000 };
        var aging = await RunAsync(settings, time, _ => PlatformResult.Transient("down"));
        Assert.False(aging.Result.Ok);
        Assert.InRange(time.GetUtcNow() - start, settings.MaxAge, settings.MaxAge + settings.MaxDelay);
    }
}
